"""TMX 1.4b inline codes <-> OER Adapt placeholders.

Our segments carry `[N]` (an atom: an image, a line break, code) and `[N]...[/N]` (a pair around text
that is translated: bold, a link). In TMX the same things are inline elements:

- export: an atom is `<ph x="N">raw</ph>`, a pair `<bpt i="N" x="N">open</bpt>...<ept i="N">close</ept>`
  (the same `i` and `x` on every language variant of a unit); half of a pair whose other half the text
  lost is `<it pos="begin|end" x="N">`. Code content is the original markup where we know it.
- import: `<bpt>/<ept>` (paired by `i` inside a `<seg>`), `<ph>`, `<ut>`, `<hi>` and `<it>` (`[N]` or
  `[/N]` by its `pos`) from any tool (OmegaT, Trados, memoQ...) become placeholders numbered 1, 2...
  in order of appearance in the source variant; a target's codes take the number of the source code
  they match: by `x` (the spec's cross-variant key), else a pair by its `i`, else the k-th unnamed
  code of the same element. Units whose codes do not pair up are refused with a reason, never guessed
  at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapt.document import PLACEHOLDER_RE

MAX_DEPTH = 32  # <hi> inside <hi>...: deeper than any real file; bounds the walk on hostile ones
MAX_NUMBER = 9999  # PLACEHOLDER_RE reads up to four digits
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# TMX 1.4b `type` values for our placeholder roles; others get the spec's "x-" prefix.
_PAIR_TYPES = {"strong": "bold", "emphasis": "italic", "link": "link"}
_ATOM_TYPES = {"image": "image", "break": "lb"}


class BadCodes(ValueError):
    """A <seg> whose inline codes cannot be read as placeholders (the message says why)."""


@dataclass(frozen=True)
class Code:
    """What one placeholder number stands for in a TMX file: its kind and native markup."""

    kind: str  # "atom" or "pair"
    open: str = ""  # <bpt>/<ph>/<it pos="begin"> content: e.g. "<b>" or "**"
    close: str = ""  # <ept> content
    type: str = ""  # the TMX `type` attribute

    def to_json(self) -> dict[str, str]:
        return {k: v for k, v in {"kind": self.kind, "open": self.open, "close": self.close,
                                  "type": self.type}.items() if v}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Code:
        return cls(str(data.get("kind", "atom")), str(data.get("open", "")), str(data.get("close", "")),
                   str(data.get("type", "")))


def codes_from_placeholders(placeholders: Any) -> dict[int, Code]:
    """Codes for a stored segment's placeholders (Placeholder.to_json() dicts or Placeholders)."""
    codes: dict[int, Code] = {}
    for ph in placeholders or ():
        data = ph.to_json() if hasattr(ph, "to_json") else ph
        try:
            number, kind, role = int(data["n"]), str(data["kind"]), str(data.get("role", ""))
        except (KeyError, TypeError, ValueError):
            continue
        types = _PAIR_TYPES if kind == "pair" else _ATOM_TYPES
        kind_type = types.get(role) or (f"x-{re.sub(r'[^a-z0-9-]', '', role.lower())}" if role else "")
        codes[number] = Code(kind, str(data.get("raw", "")), str(data.get("close", "")),
                             kind_type if kind_type != "x-" else "")
    return codes


# -- export ----------------------------------------------------------------------------------------


def write_seg(seg: Any, text: str, codes: Mapping[int, Code] | None = None) -> None:
    """Fill the (empty) ElementTree `<seg>` element `seg` with `text`, placeholders as inline codes."""
    import xml.etree.ElementTree as ET

    codes = codes or {}
    matches = list(PLACEHOLDER_RE.finditer(text))
    # Pair each closer with the nearest earlier open opener of its number.
    partner: dict[int, int] = {}
    open_by_number: dict[int, list[int]] = {}
    closes = {int(m.group(2)) for m in matches if m.group(1)}
    for index, match in enumerate(matches):
        number = int(match.group(2))
        if match.group(1):
            stack = open_by_number.get(number)
            if stack:
                opener = stack.pop()
                partner[opener], partner[index] = index, opener
        elif number in closes or codes.get(number, Code("atom")).kind == "pair":
            open_by_number.setdefault(number, []).append(index)
    i_values: dict[int, int] = {}  # opener index -> TMX i; the first pair of N gets i=N on every variant
    used_i: set[int] = set()
    last: Any = None  # the element whose tail takes the next text

    def put(plain: str) -> None:
        plain = clean_xml(plain)
        if not plain:
            return
        if last is None:
            seg.text = (seg.text or "") + plain
        else:
            last.tail = (last.tail or "") + plain

    cursor = 0
    for index, match in enumerate(matches):
        put(text[cursor:match.start()])
        cursor = match.end()
        number = int(match.group(2))
        code = codes.get(number, Code("atom"))
        attrs = {"type": code.type} if code.type else {}
        if match.group(1):  # a closer
            if index in partner:
                last = ET.SubElement(seg, "ept", {"i": str(i_values[partner[index]])})
            else:
                last = ET.SubElement(seg, "it", {"pos": "end", "x": str(number), **attrs})
            last.text = clean_xml(code.close) or None
        elif index in partner:
            i = number if number not in used_i else max(used_i | {MAX_NUMBER}) + 1
            used_i.add(i)
            i_values[index] = i
            last = ET.SubElement(seg, "bpt", {"i": str(i), "x": str(number), **attrs})
            last.text = clean_xml(code.open) or None
        elif number in closes or code.kind == "pair":
            last = ET.SubElement(seg, "it", {"pos": "begin", "x": str(number), **attrs})
            last.text = clean_xml(code.open) or None
        else:
            last = ET.SubElement(seg, "ph", {"x": str(number), **attrs})
            last.text = clean_xml(code.open) or None
    put(text[cursor:])


def clean_xml(text: str) -> str:
    """Characters XML 1.0 cannot carry are dropped (they cannot be escaped either)."""
    return _XML_INVALID.sub("", text)


# -- import ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    role: str  # open, close, atom
    keys: tuple[tuple[Any, ...], ...]  # what matches this code across the unit's variants, best first
    content: str = ""
    type: str = ""


Tokens = list[Any]  # str | _Token


def local_name(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_seg(seg: Any) -> Tokens:
    """A <seg> as text pieces and code tokens; raises BadCodes when its codes do not pair up."""
    tokens: Tokens = [seg.text or ""]
    open_i: dict[str, tuple[Any, ...]] = {}  # bpt i -> key, while open
    ordinals: dict[str, int] = {}

    def nth(name: str) -> int:
        ordinals[name] = ordinals.get(name, 0) + 1
        return ordinals[name]

    def walk(element: Any, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise BadCodes(f"inline codes nested deeper than {MAX_DEPTH}")
        for child in element:
            name = local_name(child.tag)
            x, kind_type = child.get("x"), child.get("type") or ""
            content = "".join(child.itertext())
            if name == "bpt":
                i = child.get("i")
                if i is None:
                    raise BadCodes("<bpt> without i")
                if i in open_i:
                    raise BadCodes(f'two open <bpt i="{i}">')
                open_i[i] = ((("pair", "x", x),) if x is not None else ()) + (("pair", "i", i),)
                tokens.append(_Token("open", open_i[i], content, kind_type))
            elif name == "ept":
                i = child.get("i")
                if i is None or i not in open_i:
                    raise BadCodes(f'<ept i="{i}"> without its <bpt>')
                tokens.append(_Token("close", open_i.pop(i), content))
            elif name in ("ph", "ut"):
                keys = ((("atom", "x", x),) if x is not None else ()) + (("atom", "ph", nth("ph")),)
                tokens.append(_Token("atom", keys, content, kind_type))
            elif name == "it":  # half of a pair whose other half is outside the segment
                pos = child.get("pos") or ""
                keys = ((("pair", "x", x),) if x is not None else ()) + (("it", pos, nth("it" + pos)),)
                tokens.append(_Token("close" if pos == "end" else "open", keys, content, kind_type))
            elif name == "hi":
                keys = ((("pair", "x", x),) if x is not None else ()) + (("pair", "hi", nth("hi")),)
                tokens.append(_Token("open", keys, "", kind_type))
                tokens.append(child.text or "")
                walk(child, depth + 1)
                tokens.append(_Token("close", keys))
            else:  # an unknown element: keep its text
                tokens.append(child.text or "")
                walk(child, depth + 1)
            tokens.append(child.tail or "")

    walk(seg, 0)
    if open_i:
        raise BadCodes(f'<bpt i="{next(iter(open_i))}"> without its <ept>')
    return tokens


def plain(tokens: Tokens) -> str:
    return "".join(t for t in tokens if isinstance(t, str))


def literal_max(tokens: Tokens) -> int:
    """The highest `[N]` written as plain text (older TMX from OER Adapt, or a citation)."""
    return max((int(m.group(2)) for t in tokens if isinstance(t, str) for m in PLACEHOLDER_RE.finditer(t)),
               default=0)


class Numbering:
    """Placeholder numbers for one unit: source codes by first appearance, after any literal `[N]`."""

    def __init__(self, start: int) -> None:
        self.numbers: dict[tuple[Any, ...], int] = {}
        self.next = start + 1

    def number_source(self, tokens: Tokens) -> None:
        for token in tokens:
            if not isinstance(token, _Token) or token.keys[0] in self.numbers:
                continue
            if self.next > MAX_NUMBER:
                raise BadCodes(f"more than {MAX_NUMBER} inline codes")
            for key in token.keys:  # the fallbacks too, for a translation that lacks `x`
                self.numbers.setdefault(key, self.next)
            self.next += 1

    def text(self, tokens: Tokens) -> tuple[str, dict[int, Code]]:
        """Tokens as placeholder text, and the codes' content by number; BadCodes for a code the
        source does not have (there is nothing in a new segment it could stand for)."""
        out: list[str] = []
        opens: dict[int, str] = {}
        closes: dict[int, str] = {}
        types: dict[int, str] = {}
        pairs: set[int] = set()
        for token in tokens:
            if isinstance(token, str):
                out.append(token)
                continue
            number = next((self.numbers[k] for k in token.keys if k in self.numbers), None)
            if number is None:
                raise BadCodes("the translation has an inline code the source does not have")
            if token.role == "close":
                out.append(f"[/{number}]")
                closes.setdefault(number, token.content)
                pairs.add(number)
            else:
                out.append(f"[{number}]")
                opens.setdefault(number, token.content)
                if token.role == "open":
                    pairs.add(number)
            if token.type:
                types.setdefault(number, token.type)
        codes = {n: Code("pair" if n in pairs else "atom", opens.get(n, ""), closes.get(n, ""), types.get(n, ""))
                 for n in sorted(opens.keys() | closes.keys())}
        return "".join(out), codes
