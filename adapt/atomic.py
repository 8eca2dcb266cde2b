"""Writing a file all at once or not at all: a temporary file beside it, then a rename.

A full disk or a read-only folder becomes a user error that names the file not saved, and the temporary
file is removed, so a failed export never leaves `x.zip.partial` (or half of `x.zip`) behind.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from adapt.errors import DiskFull, StorageFault

_READ_ONLY_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)


def write_atomically(out: Path, data: bytes) -> None:
    """Write `data` to `out` through a temporary file in the same folder (a rename is atomic there)."""
    out = Path(out)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    except OSError as exc:
        raise storage_error(exc, out) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; an export is an ordinary file
        os.replace(tmp, out)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise storage_error(exc, out) from exc
        raise


def storage_error(exc: OSError, out: Path) -> Exception:
    """An OSError from writing `out` as the user error it is (full disk, read-only place), else unchanged."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"disk full: {out} was not saved", hint=f"free space on the disk that holds {out.parent}; "
                        "nothing was half written")
    if exc.errno in _READ_ONLY_ERRNOS:
        return StorageFault(f"cannot write {out}: {exc.strerror}", hint="pick a folder you can write to")
    return exc
