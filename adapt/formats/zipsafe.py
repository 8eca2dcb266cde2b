"""Zip containers (books, cartridges, DOCX) opened defensively, and packed deterministically.

Every member name is checked before anything is read (no absolute paths, no `..`: zip slip), the
declared sizes are summed against the unpacked limit and each member is read with a hard cap, so a
zip bomb that lies about its sizes stops at the limit too.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from adapt.errors import FileTooLarge, HostileInput, UnreadableFile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # packed zips do not depend on file times: same folder, same bytes


def unpacked_limit() -> int:
    from adapt.settings import Settings

    return Settings.from_env().max_unpacked_bytes


def check_member_name(name: str, archive: str) -> str:
    path = PurePosixPath(name.replace("\\", "/"))
    parts = path.parts
    if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        raise HostileInput(
            f"{archive} holds a file named {name!r} that points outside the archive (zip slip)",
            hint="this archive is unsafe to unpack; rebuild it without absolute or '..' paths",
        )
    return name


def open_zip(data: bytes, archive: str, *, max_unpacked: int | None = None) -> zipfile.ZipFile:
    """A ZipFile over `data` whose members are all safe to read (see the module docstring)."""
    limit = unpacked_limit() if max_unpacked is None else max_unpacked
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(f"{archive} is not a zip archive ({exc})",
                             hint="check that it is the file you meant") from None
    total = 0
    for info in zf.infolist():
        check_member_name(info.filename, archive)
        total += info.file_size
        if total > limit:
            raise HostileInput(
                f"{archive} unpacks to more than {limit:,} bytes (a zip bomb?)",
                hint="raise ADAPT_MAX_UNPACKED_BYTES if this archive is genuine",
            )
    zf.adapt_limit = limit  # type: ignore[attr-defined]
    return zf


def read_member(zf: zipfile.ZipFile, name: str, archive: str) -> bytes:
    """A member's bytes, never more than the declared size or the unpacked limit allows."""
    info = zf.getinfo(name)
    cap = min(info.file_size, getattr(zf, "adapt_limit", unpacked_limit()))
    try:
        with zf.open(info) as fh:
            data = fh.read(cap + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        raise UnreadableFile(f"cannot read {name} in {archive}: {exc}", hint="the archive is damaged") from None
    if len(data) > cap:
        raise HostileInput(f"{name} in {archive} is larger than its header says (a zip bomb?)",
                           hint="this archive is unsafe to unpack")
    return data


def pack(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A deterministic zip of (name, bytes) pairs, in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buffer.getvalue()


def folder_members(root: Path, *, max_bytes: int, names: Iterable[str] | None = None) -> list[tuple[str, bytes]]:
    """Files under `root` (all of them, or the relative `names`) as (posix name, bytes), size-checked.

    Links that lead outside the folder are refused rather than followed.
    """
    root = root.resolve()
    paths = sorted(p for p in root.rglob("*") if p.is_file()) if names is None else [root / n for n in names]
    out: list[tuple[str, bytes]] = []
    total = 0
    for path in paths:
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            raise HostileInput(f"{path} links outside {root}",
                               hint="copy the file into the folder instead of linking it")
        if not resolved.is_file():
            continue
        total += resolved.stat().st_size
        if total > max_bytes:
            raise FileTooLarge(
                f"{root.name} holds more than {max_bytes:,} bytes",
                hint="raise the limit with ADAPT_MAX_FILE_BYTES / --max-bytes, or adapt a part of it",
            )
        out.append((resolved.relative_to(root).as_posix(), resolved.read_bytes()))
    return out


def extract_to(data: bytes, folder: Path, archive: str) -> list[Path]:
    """Unpack a zip we produced into `folder` (checked like any other zip)."""
    zf = open_zip(data, archive)
    written = []
    for info in zf.infolist():
        if info.is_dir():
            continue
        target = folder / check_member_name(info.filename, archive)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(read_member(zf, info.filename, archive))
        written.append(target)
    return written
