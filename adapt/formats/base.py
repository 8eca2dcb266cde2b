"""What a format handler is: bytes in, Document out; Document plus a render plan in, bytes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from adapt.document import Document


@dataclass(frozen=True)
class RenderPlan:
    """What to put into the rendered file.

    `replacements` maps segment keys to new text *with placeholders* (as a model or reviewer left it).
    `unreviewed` names the replaced segments that no human accepted: formats mark them visibly.
    `notices` are front notes (unreviewed-output warning, attribution, changes made) for formats that
    have a place for them. `metadata` updates the document's own metadata where the format holds it
    (language, licence, title...).
    """

    replacements: Mapping[str, str] = field(default_factory=dict)
    unreviewed: frozenset[str] = frozenset()
    target_language: str | None = None
    notices: tuple[str, ...] = ()
    metadata: Mapping[str, object] = field(default_factory=dict)
    unreviewed_notice: str | None = None  # the warning in the reader's language (adapt.notices); None: English
    notice_label: str | None = None  # "Nota" where a format labels each note (Markdown); None: "Note"

    @property
    def is_identity(self) -> bool:
        return not self.replacements and not self.notices and not self.metadata and self.target_language is None


UNREVIEWED_MARK = "⚠ "
UNREVIEWED_NOTICE = (
    "Parts of this document marked ⚠ are unreviewed machine output: no reviewer has checked them yet."
)


class FormatHandler(Protocol):
    name: str  # "markdown", "text", ...
    @property
    def extensions(self) -> tuple[str, ...]:  # ".md", ...
        ...
    canonical_form: str  # "bytes" when a round trip is byte-identical, else how it is compared (e.g. "xml-c14n")

    def sniff(self, path: Path, head: bytes) -> bool:
        """True if this handler recognises the file from its name or first bytes."""

    def read(self, path: Path, data: bytes) -> Document:
        """Parse `data` (the file's bytes; for a folder format, the handler's packed form)."""

    def render(self, doc: Document, plan: RenderPlan) -> bytes:
        """Render the document with the plan applied; an identity plan gives back the source."""


def decode_utf8(data: bytes, name: str) -> str:
    """Decode UTF-8 text (a BOM is kept as U+FEFF so that rendering gives it back)."""
    from adapt.errors import UnreadableFile

    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"{name} is not UTF-8 text (byte {exc.start} is {data[exc.start:exc.start + 1]!r})",
            hint="convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8",
        ) from None


def split_newlines(text: str) -> tuple[str, str]:
    """Normalise CRLF to LF for parsing; return (text, the newline to restore)."""
    if "\r\n" in text and text.count("\r\n") == text.count("\n"):
        return text.replace("\r\n", "\n"), "\r\n"
    return text, "\n"


def join_newlines(text: str, newline: str) -> str:
    return text.replace("\n", newline) if newline != "\n" else text


def segment_replacements(doc: Document, plan: RenderPlan, escape=None) -> list[tuple[tuple[int, int], str]]:
    """The (span, new source text) pairs for every replaced segment of a splicing format."""
    out: list[tuple[tuple[int, int], str]] = []
    for seg in doc.segments:
        new = plan.replacements.get(seg.key)
        if new is None or seg.span is None:
            continue
        restored = seg.restore(new, escape=escape)
        if seg.key in plan.unreviewed:
            restored = UNREVIEWED_MARK + restored
        out.append((seg.span, restored))
    return out
