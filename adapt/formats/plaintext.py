"""Plain text: paragraphs are runs of non-blank lines; each is one Segment.

URLs, e-mail addresses and inline TeX are protected. Line breaks inside a paragraph are kept as
atoms, so a poem or an address keeps its lines after translation.
"""

from __future__ import annotations

import re
from pathlib import Path

from adapt.document import Document, Segment, splice
from adapt.formats.base import (
    UNREVIEWED_NOTICE,
    RenderPlan,
    decode_utf8,
    join_newlines,
    segment_replacements,
    split_newlines,
)
from adapt.segmenting import PlaceholderBuilder

_PARAGRAPH_RE = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")


class PlainTextFormat:
    name = "text"
    extensions = (".txt", ".text")
    canonical_form = "bytes"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() in self.extensions

    def read(self, path: Path, data: bytes) -> Document:
        text, newline = split_newlines(decode_utf8(data, path.name))
        segments = []
        for number, match in enumerate(_PARAGRAPH_RE.finditer(text), start=1):
            raw = match.group(0)
            lead = len(raw) - len(raw.lstrip())
            start, end = match.start() + lead, match.start() + len(raw.rstrip())
            builder = PlaceholderBuilder(protect_tex=True)
            lines = text[start:end].split("\n")
            for i, line in enumerate(lines):
                if i:
                    builder.atom("break", "\n")
                builder.text_run(line)
            segments.append(
                Segment(
                    key=f"paragraph-{number}",
                    kind="paragraph",
                    text=builder.text,
                    placeholders=builder.placeholders,
                    span=(start, end),
                    translatable=builder.has_words(),
                )
            )
        title = segments[0].plain_text()[:80] if segments else path.stem
        return Document(self.name, path.name, text, segments, {"title": title}, newline=newline)

    def render(self, doc: Document, plan: RenderPlan) -> bytes:
        text = splice(doc.text, segment_replacements(doc, plan))
        notes = ([plan.unreviewed_notice or UNREVIEWED_NOTICE] if plan.unreviewed else []) + list(plan.notices)
        if notes:
            text = "".join(f"NOTE: {n}\n" for n in notes) + "\n" + text
        return join_newlines(text, doc.newline).encode("utf-8")
