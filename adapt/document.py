"""The document model every format reads into and renders from.

A Document keeps its source text and a flat, ordered list of Segments. Each Segment knows the span of
the source it came from, so rendering is splicing: replaced segments go in, everything else stays
byte for byte. Formats that cannot splice (zip containers, DOCX) keep their own state in `extra`.

A Segment's `text` is what a model sees: inline markup, math, code, links and URLs are replaced by
numbered placeholders, `[N]` for an atom and `[N]...[/N]` around text that is itself translated
(emphasis, link text). `Segment.restore` turns a model's text back into the format's markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

PlaceholderKind = Literal["atom", "pair"]

from adapt.placeholders import PLACEHOLDER_RE  # noqa: E402 - re-exported: the pattern lives in the kernel


@dataclass(frozen=True)
class Placeholder:
    """One protected piece of source markup.

    An atom stands for `raw` (inline code, math, an URL, an image). A pair stands for `raw` before and
    `close` after text that is translated (emphasis, a link's text with `close` holding `](url)`).
    """

    number: int
    kind: PlaceholderKind
    role: str  # code, math, url, link, emphasis, strong, html, image, escape, literal, ...
    raw: str
    close: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"n": self.number, "kind": self.kind, "role": self.role, "raw": self.raw, "close": self.close}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Placeholder:
        return cls(int(data["n"]), data["kind"], data["role"], data["raw"], data.get("close", ""))


@dataclass(frozen=True)
class Segment:
    """One translatable unit (a paragraph, heading, list item, table cell, caption...)."""

    key: str  # stable within the document: the same source always gives the same keys
    kind: str  # paragraph, heading, list_item, table_cell, caption, title, ...
    text: str  # what models see, with placeholders
    placeholders: tuple[Placeholder, ...] = ()
    span: tuple[int, int] | None = None  # [start, end) in Document.text, for formats that splice
    translatable: bool = True
    context: Mapping[str, Any] = field(default_factory=dict)  # format details (element path, level...)

    def placeholder(self, number: int) -> Placeholder | None:
        for ph in self.placeholders:
            if ph.number == number:
                return ph
        return None

    def plain_text(self) -> str:
        """The text with atoms removed and pairs unwrapped: for readability, embeddings, memory keys."""
        return restore_placeholders(self.text, self.placeholders, atom=lambda ph: "", pair=lambda ph: ("", ""))

    def restore(self, text: str, escape: Callable[[str], str] | None = None) -> str:
        """Turn `text` (this segment's text after a model or a reviewer) back into source markup.

        Placeholders the text no longer holds are simply gone: QA flags that before anyone accepts it.
        A pair that wraps nothing in `text` but wrapped words here is gone too (adapt.empty_markup: no
        "****" or `<term></term>` in an export). `escape` is applied to the plain text between
        placeholders (e.g. `|` inside a Markdown table).
        """
        from adapt.empty_markup import drop_empty_pairs

        text = drop_empty_pairs(text, self.text, {ph.number for ph in self.placeholders if ph.kind == "pair"})
        return restore_placeholders(
            text, self.placeholders, atom=lambda ph: ph.raw, pair=lambda ph: (ph.raw, ph.close), escape=escape
        )


def restore_placeholders(
    text: str,
    placeholders: Iterable[Placeholder],
    *,
    atom: Callable[[Placeholder], str],
    pair: Callable[[Placeholder], tuple[str, str]],
    escape: Callable[[str], str] | None = None,
) -> str:
    by_number = {ph.number: ph for ph in placeholders}
    out: list[str] = []
    last = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.start() < last:
            continue
        plain = text[last : match.start()]
        closing, number = match.group(1) == "/", int(match.group(2))
        ph = by_number.get(number)
        if ph is None or (closing and ph.kind != "pair"):
            continue  # not ours: it stays in the plain text
        last = match.end()
        if closing:
            # Models like to put a space inside a pair ("[3]word [/3]"): move it outside the markup.
            stripped = plain.rstrip(" ")
            out += [_escaped(stripped, escape), pair(ph)[1], plain[len(stripped) :]]
        elif ph.kind == "pair":
            following = text[last:]
            spaces = len(following) - len(following.lstrip(" "))
            out += [_escaped(plain, escape), " " * spaces, pair(ph)[0]]
            last += spaces
        else:
            out += [_escaped(plain, escape), atom(ph)]
    out.append(_escaped(text[last:], escape))
    return "".join(out)


def _escaped(plain: str, escape: Callable[[str], str] | None) -> str:
    return escape(plain) if escape and plain else plain


@dataclass
class Document:
    """A parsed source file: its text (for formats that splice), segments in reading order, metadata."""

    format: str
    source_name: str
    text: str
    segments: list[Segment]
    metadata: dict[str, Any] = field(default_factory=dict)  # title, language, license, authors...
    newline: str = "\n"  # the source's line ending, restored on render
    extra: dict[str, Any] = field(default_factory=dict)  # format-private state

    def translatable_segments(self) -> list[Segment]:
        return [s for s in self.segments if s.translatable]

    def segment(self, key: str) -> Segment:
        for seg in self.segments:
            if seg.key == key:
                return seg
        raise KeyError(key)

    def word_count(self) -> int:
        return sum(len(s.plain_text().split()) for s in self.translatable_segments())


def splice(text: str, replacements: Iterable[tuple[tuple[int, int], str]]) -> str:
    """Replace non-overlapping [start, end) spans of `text`; spans may come in any order."""
    ordered = sorted(replacements, key=lambda item: item[0][0])
    out: list[str] = []
    cursor = 0
    for (start, end), new in ordered:
        if start < cursor:
            raise ValueError(f"overlapping spans at {start}")
        out.append(text[cursor:start])
        out.append(new)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)
