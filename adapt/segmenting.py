"""Building a Segment's model text: plain runs stay, everything protected becomes a placeholder.

Formats feed a PlaceholderBuilder the pieces of one block in order; it numbers the placeholders,
protects URLs, e-mail addresses and inline TeX found in plain runs, and protects any literal text
that looks like a placeholder (`[3]`, a citation) so that it survives restore as it was.
"""

from __future__ import annotations

import re

from adapt.document import PLACEHOLDER_RE, Placeholder

URL_RE = re.compile(r"""(?:https?://|ftp://|www\.)[^\s<>"'\])]+[^\s<>"'\]).,;:!?]""", re.IGNORECASE)
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
TEX_INLINE_RE = re.compile(r"(?<![\\$])\$(?!\s)[^$\n]+?(?<![\s\\])\$(?!\d)|\\\(.+?\\\)")
_PROTECT_RE = re.compile(
    "|".join(f"(?P<{name}>{rx.pattern})" for name, rx in
             [("url", URL_RE), ("email", EMAIL_RE), ("literal", PLACEHOLDER_RE)]),
    re.IGNORECASE,
)
_PROTECT_WITH_TEX_RE = re.compile(_PROTECT_RE.pattern + f"|(?P<math>{TEX_INLINE_RE.pattern})", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_]{2,}")


class PlaceholderBuilder:
    def __init__(self, *, protect_tex: bool = False) -> None:
        self._parts: list[str] = []
        self._placeholders: list[Placeholder] = []
        self._protect = _PROTECT_WITH_TEX_RE if protect_tex else _PROTECT_RE

    # -- feeding -------------------------------------------------------------------------------
    def plain(self, text: str) -> None:
        """Text added as it is (no URL detection): separators, soft breaks."""
        self._parts.append(text)

    def text_run(self, text: str) -> None:
        """Text from the source: URLs, e-mails and placeholder look-alikes inside it get protected."""
        last = 0
        for match in self._protect.finditer(text):
            self._parts.append(text[last : match.start()])
            role = match.lastgroup or "literal"
            if role == "url":
                role = "url"
            self.atom(role, match.group(0))
            last = match.end()
        self._parts.append(text[last:])

    def atom(self, role: str, raw: str) -> int:
        number = len(self._placeholders) + 1
        self._placeholders.append(Placeholder(number, "atom", role, raw))
        self._parts.append(f"[{number}]")
        return number

    def open_pair(self, role: str, raw: str) -> int:
        number = len(self._placeholders) + 1
        self._placeholders.append(Placeholder(number, "pair", role, raw))
        self._parts.append(f"[{number}]")
        return number

    def close_pair(self, number: int, raw: str) -> None:
        ph = self._placeholders[number - 1]
        self._placeholders[number - 1] = Placeholder(ph.number, "pair", ph.role, ph.raw, raw)
        self._parts.append(f"[/{number}]")

    # -- results -------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        """How many placeholders so far (readers check it against the inline limit as they go)."""
        return len(self._placeholders)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(self._placeholders)

    def has_words(self) -> bool:
        """True when there is something for a model to work on outside the placeholders."""
        return has_words(self.text)


def has_words(text: str) -> bool:
    """True when a segment's text has something for a model to work on outside its placeholders."""
    return bool(_WORD_RE.search(PLACEHOLDER_RE.sub(" ", text)))


def segment_text(text: str, *, protect_tex: bool = True) -> tuple[str, tuple[Placeholder, ...]]:
    """Protect URLs, e-mails, TeX and placeholder look-alikes in a plain string."""
    builder = PlaceholderBuilder(protect_tex=protect_tex)
    builder.text_run(text)
    return builder.text, builder.placeholders
