"""Catalogue entries: what an item is, and reading them from a JSONL file of metadata records.

A record is one JSON object per line with `title`, `description`, `url`, `language`, `licence` (or
`license`) and `subject` (a string or a list of strings). Title or description must hold some text.
Bad lines are reported with their number; nothing is guessed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adapt import languages
from adapt.errors import InputError, InvalidLanguage, UnreadableFile

MAX_LINE_BYTES = 1_000_000  # one record; a longer line is not a metadata record
MAX_FIELD_CHARS = 100_000


@dataclass(frozen=True)
class Entry:
    """One catalogue item before it is stored: metadata plus the passages to embed."""

    key: str
    title: str | None
    description: str | None
    url: str | None
    language: str | None
    license: str | None
    subject: tuple[str, ...]
    source: str
    format: str
    passages: tuple[str, ...]
    resource_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Hash of what is embedded: metadata-only changes (licence, url...) keep it."""
        return hashlib.sha256("\x1e".join(self.passages).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def normalise_language(value: Any) -> str | None:
    """A record's language in canonical BCP 47 (adapt.languages); ValueError (a bad line) when it is none."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"language {value!r} is not a language code such as en or pt-BR")
    try:
        return languages.normalise(value)
    except InvalidLanguage:
        raise ValueError(f"language {value!r} is not a language code such as en or pt-BR") from None


def _text(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, not {type(value).__name__}")
    value = value.replace("\x00", "").strip()
    if len(value) > MAX_FIELD_CHARS:
        raise ValueError(f"{name} is {len(value):,} characters long (limit {MAX_FIELD_CHARS:,})")
    return value or None


def entry_from_record(record: Any, *, source: str) -> Entry:
    """Validate one metadata record (ValueError says what is wrong)."""
    from adapt.catalogue.chunking import chunk_texts

    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    title = _text(record, "title")
    description = _text(record, "description")
    if not title and not description:
        raise ValueError("a record needs a title or a description")
    url = _text(record, "url")
    if "licence" in record and "license" in record and record["licence"] != record["license"]:
        raise ValueError("licence and license disagree")
    license_id = _text(record, "licence" if "licence" in record else "license")
    language = normalise_language(record.get("language"))
    subject = record.get("subject") or []
    if isinstance(subject, str):
        subject = [subject]
    if not isinstance(subject, list) or not all(isinstance(s, str) for s in subject):
        raise ValueError("subject must be a string or a list of strings")
    # The title leads the first passage so that short records still say what they are about.
    pieces = [f"{title}. {description}" if title and description else (title or description or "")]
    passages = tuple(chunk_texts(pieces))
    identity = url or hashlib.sha256(f"{title}\x1f{description}\x1f{language}".encode()).hexdigest()
    return Entry(
        key=("url:" if url else "record:") + identity, title=title, description=description, url=url,
        language=language, license=license_id, subject=tuple(s.strip() for s in subject if s.strip()),
        source=source, format="jsonl", passages=passages,
    )


def read_jsonl(path: Path) -> Iterator[Entry | BadLine]:
    """Entries of a JSONL file, streamed (a 100,000-line catalogue is never held as one string)."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror}", hint="check the path and permissions") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if len(raw) > MAX_LINE_BYTES:
                yield BadLine(number, f"longer than {MAX_LINE_BYTES:,} bytes")
                continue
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                record = json.loads(text)
                yield entry_from_record(record, source=f"{path.name}:{number}")
            except UnicodeDecodeError:
                yield BadLine(number, "not UTF-8")
            except json.JSONDecodeError as exc:
                yield BadLine(number, f"not JSON ({exc.msg} at column {exc.colno})")
            except (ValueError, RecursionError) as exc:
                yield BadLine(number, str(exc) if not isinstance(exc, RecursionError) else "nested too deeply")


def bad_lines_error(path: Path, bad: list[BadLine]) -> InputError:
    shown = "; ".join(str(b) for b in bad[:5]) + (f"; and {len(bad) - 5} more" if len(bad) > 5 else "")
    return InputError(f"{path.name} has {len(bad)} bad record(s): {shown}",
                      hint="fix them, or pass --skip-bad to add the good records and list the bad ones")
