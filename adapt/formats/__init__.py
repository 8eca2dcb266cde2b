"""Formats: which handler reads a file, and the one place that reads and renders documents."""

from __future__ import annotations

from pathlib import Path

from adapt.document import Document
from adapt.errors import EmptyDocument, FileTooLarge, UnreadableFile, UnsupportedFormat
from adapt.formats.base import FormatHandler, RenderPlan
from adapt.limits import check_document


def handlers() -> list[FormatHandler]:
    """Every known format, most specific first. Built on call: registering is explicit, never at import."""
    from adapt.formats.cnxml import CnxmlBookFormat, CnxmlFormat
    from adapt.formats.docx import DocxFormat
    from adapt.formats.html import HtmlFormat
    from adapt.formats.imscc import ImsccFormat
    from adapt.formats.markdown import MarkdownFormat
    from adapt.formats.plaintext import PlainTextFormat

    # Folder formats first: a book folder or an unpacked cartridge is recognised by what it holds.
    return [CnxmlBookFormat(), ImsccFormat(), CnxmlFormat(), DocxFormat(), HtmlFormat(), MarkdownFormat(),
            PlainTextFormat()]


def handler_by_name(name: str) -> FormatHandler:
    for handler in handlers():
        if handler.name == name:
            return handler
    known = ", ".join(h.name for h in handlers())
    raise UnsupportedFormat(f"unknown format {name!r}", hint=f"known formats: {known}")


def detect_format(path: Path, head: bytes = b"") -> FormatHandler:
    for handler in handlers():
        if handler.sniff(path, head):
            return handler
    exts = ", ".join(sorted({e for h in handlers() for e in h.extensions}))
    raise UnsupportedFormat(
        f"cannot tell the format of {path.name}",
        hint=f"use a file ending in one of {exts}, or name the format with --format",
    )


def load_source(path: Path, *, max_bytes: int) -> bytes:
    """Read a file's bytes with the size limit applied before reading it whole."""
    if not path.exists():
        raise UnreadableFile(f"{path} does not exist", hint="check the path")
    if path.is_dir():
        raise UnsupportedFormat(f"{path} is a folder", hint="name a file (or a format that takes folders)")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FileTooLarge(
                f"{path.name} is {size:,} bytes, over the limit of {max_bytes:,}",
                hint="split the file, or raise the limit with ADAPT_MAX_FILE_BYTES / --max-bytes",
            )
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror}", hint="check the file's permissions") from None


def read_document(path: Path, *, max_bytes: int, format_name: str | None = None) -> tuple[Document, bytes]:
    """Parse a file into a Document; returns it with the bytes it came from (what the store keeps)."""
    handler = handler_by_name(format_name) if format_name else None
    packer = getattr(handler, "pack", None) if handler else None
    if handler is None:
        head = b""
        if path.is_file():
            with path.open("rb") as fh:
                head = fh.read(4096)
        handler = detect_format(path, head)
        packer = getattr(handler, "pack", None)
    # Folder formats (a book, an unpacked cartridge) pack what they need into bytes first.
    data = packer(path, max_bytes=max_bytes) if packer else load_source(path, max_bytes=max_bytes)
    if not data.strip():
        raise EmptyDocument(f"{path.name} is empty", hint="give a file with some text to adapt")
    doc = handler.read(path, data)
    check_document(doc)  # the input limits, whatever the reader checked as it went
    if not doc.translatable_segments():
        raise EmptyDocument(f"{path.name} has no text to adapt", hint="check that it is the file you meant")
    return doc, data


def parse_stored(format_name: str, source_name: str, data: bytes) -> Document:
    """Re-parse a stored resource (export does this: the source bytes are the truth)."""
    return handler_by_name(format_name).read(Path(source_name), data)


def render_document(doc: Document, plan: RenderPlan) -> bytes:
    return handler_by_name(doc.format).render(doc, plan)


__all__ = [
    "RenderPlan",
    "detect_format",
    "handler_by_name",
    "handlers",
    "load_source",
    "parse_stored",
    "read_document",
    "render_document",
]
