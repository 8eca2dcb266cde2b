"""No empty inline element in an export for markup that wrapped words in the source (issue 15).

A model sometimes drops a pair's words together with its markers ("lost"), or leaves the markers around
nothing ("[1][/1]"); tree formats then put the missing markers back next to their neighbours to keep the
file whole (adapt.formats.markup.align_placeholders), and every format would write an element around
nothing: `<term id="t1"></term>`, "****", an empty hyperlink. A reader sees nothing there, but the
glossary, the index and screen readers see an empty key term or link. So when a translation is turned
back into a format's markup, a pair that wraps nothing visible, while the same pair wrapped something in
the source, is taken out (its words are missing, not its markup). The suggestion keeps its QA flag
(`placeholder-missing` / `markup-emptied`), so the reviewer still sees what the model dropped; nothing of
the reviewer's text is changed, only markers that would wrap nothing.

Why not put the pair's own translation back in: where the words belong is exactly what could not be
found (adapt.markup_align tried alignment and matching already), and a term appended in the wrong place
reads worse than a sentence whose missing word the reviewer is told about.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# A pair around nothing but whitespace, with a space on either side (to keep single spacing).
_EMPTY_PAIR = re.compile(r"( ?)\[(\d{1,4})\](\s*)\[/\2\]( ?)")
_NO_SPACE_BEFORE = ",.;:!?)]}»”’"  # "seção [2][/2], os" -> "seção, os"


def empty_in(text: str, number: int) -> bool:
    """Whether pair `number` of `text` wraps nothing visible (only whitespace), or is not there at all."""
    opener = text.find(f"[{number}]")
    closer = text.find(f"[/{number}]", opener + 1) if opener >= 0 else -1
    return opener < 0 or closer < 0 or not text[opener + len(f"[{number}]"):closer].strip()


def drop_empty_pairs(text: str, source: str, pairs: Collection[int]) -> str:
    """`text` without the markers of pairs (numbers in `pairs`) that wrap nothing in `text` but wrap
    something in `source`. Repeated until nothing changes, so an outer pair left around an emptied inner
    one goes too."""
    if not pairs or "[" not in text:
        return text
    keep = {n for n in pairs if empty_in(source, n)}  # empty in the source too: an anchor, kept as it was

    def cut(m: re.Match[str]) -> str:
        number = int(m.group(2))
        if number not in pairs or number in keep:
            return m.group(0)
        text = m.string
        if m.start() == 0 or m.end() == len(text) or text[m.end()] in _NO_SPACE_BEFORE:
            return ""  # "[1][/1] palavras" -> "palavras"; "seção [2][/2], os" -> "seção, os"
        return " " if any(m.group(k) for k in (1, 3, 4)) else ""

    while True:
        new = _EMPTY_PAIR.sub(cut, text)
        if new == text:
            return new
        text = new

