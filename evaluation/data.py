"""Reading evaluation files: one segment per line, or TSV. Careful with what real data holds:
CRLF line ends (NTREX), byte-order marks (OneStopEnglish), stray C0 control characters, Windows-1252
files, binary files passed by mistake."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from adapt.errors import EmptyDocument, FileTooLarge, InputError, UnreadableFile

MAX_BYTES = 256 * 1024 * 1024
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class LineFile:
    path: Path
    lines: list[str]
    sha256: str
    total: int  # lines in the file, before --limit

    def describe(self) -> dict[str, object]:
        return {"path": str(self.path), "sha256": self.sha256, "lines": self.total, "used": len(self.lines)}


def _read_text(path: Path, *, encoding: str = "utf-8") -> tuple[str, str]:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"{path} does not exist or is not a file", hint="check the path")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FileTooLarge(f"{path} is {size / 1e6:.0f} MB; the evaluation reads files up to {MAX_BYTES / 1e6:.0f} MB",
                           hint="split it, or use --limit on a smaller file")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise UnreadableFile(f"{path} looks binary (it has NUL bytes)",
                             hint="pass a plain-text file, one segment a line")
    try:
        text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path} is not valid UTF-8 (byte {exc.start})",
                             hint="convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8") from None
    return text, hashlib.sha256(data).hexdigest()


def clean_line(line: str, *, strip_controls: bool = True) -> str:
    line = line.rstrip("\r\n").replace("\r", "")
    if strip_controls:
        line = CONTROL_RE.sub("", line)
    return line.strip()


def read_lines(path: Path, *, limit: int | None = None, allow_empty_lines: bool = True,
               strip_controls: bool = True, encoding: str = "utf-8") -> LineFile:
    """One segment per line; CR, BOM and control characters removed; the last newline ends the file."""
    text, digest = _read_text(Path(path), encoding=encoding)
    raw = text.split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    lines = [clean_line(line, strip_controls=strip_controls) for line in raw]
    if not lines or not any(lines):
        raise EmptyDocument(f"{path} has no segments", hint="one segment per line")
    if not allow_empty_lines and any(not line for line in lines):
        first = next(i for i, line in enumerate(lines) if not line) + 1
        raise InputError(f"{path} has an empty line ({first})", hint="every line must hold a segment")
    total = len(lines)
    if limit is not None:
        if limit < 1:
            raise InputError("--limit must be at least 1")
        lines = lines[:limit]
    return LineFile(Path(path), lines, digest, total)


def read_tsv(path: Path, *, columns: int, limit: int | None = None) -> tuple[list[list[str]], str]:
    """Rows of a TSV with at least `columns` columns. A first row that names the columns (`path`,
    `label`...) is skipped; `#` starts a comment line."""
    text, digest = _read_text(Path(path))
    rows: list[list[str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = clean_line(line)
        if not line or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < columns:
            raise InputError(f"{path}, line {number}: expected {columns} tab-separated columns, found {len(cells)}",
                             hint="write PATH<TAB>LABEL, one item a line")
        if not rows and number == 1 and cells[0].lower() in ("path", "file", "item", "id"):
            continue
        rows.append(cells)
    if not rows:
        raise EmptyDocument(f"{path} has no rows", hint="write PATH<TAB>LABEL, one item a line")
    return (rows[:limit] if limit else rows), digest
