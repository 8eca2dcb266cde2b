"""Reading the Argos package index and downloading a package from it, with limits.

The index is a JSON list of packages (argospm-index's `index.json`); its URL is a setting
(`ADAPT_ARGOS_INDEX`), so a mirror or a test server on 127.0.0.1 can stand in for the real one. Each
entry names `from_code`, `to_code` and `links`. Two optional fields are checked when an index gives
them (a mirror can add them; the public index does not have them today): `sha256` (of the
.argosmodel) and `size` (its bytes). Whatever the index says, a download:
- is http(s) only, and stops at the size limit (the declared size when there is one, else the setting);
- must bring exactly Content-Length bytes (a server that stops mid-way is an error, not a short file);
- lands in a temporary file that is deleted on any failure, so nothing half-downloaded is installed.
The archive checks (zip, paths, bombs, one package folder) are `argos.install_file`'s.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapt.errors import HostileInput, UnsupportedLanguagePair, UserError
from models.translators.base import normalise_language

DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
MAX_INDEX_BYTES = 16 * 1024 * 1024
CHUNK = 256 * 1024


class DownloadFailed(UserError):
    """A package could not be fetched whole (connection, truncation, size, checksum)."""


@dataclass(frozen=True)
class IndexEntry:
    source: str
    target: str
    links: tuple[str, ...]
    version: str = ""
    sha256: str | None = None
    size: int | None = None
    name: str = ""

    @classmethod
    def from_json(cls, data: Any) -> IndexEntry | None:
        """None for entries that are not translation packages or lack what a download needs."""
        if not isinstance(data, dict) or data.get("type", "translate") != "translate":
            return None
        links = data.get("links")
        if not data.get("from_code") or not data.get("to_code") or not isinstance(links, list) or not links:
            return None
        size = data.get("size")
        return cls(
            normalise_language(str(data["from_code"])), normalise_language(str(data["to_code"])),
            tuple(str(link) for link in links), str(data.get("package_version", "")),
            str(data["sha256"]).lower() if data.get("sha256") else None,
            int(size) if isinstance(size, int) and not isinstance(size, bool) and size > 0 else None,
            str(data.get("code") or data.get("name") or ""),
        )


def _open(url: str, timeout: float):
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https"):
        raise UserError(f"{url} is not an http(s) address", hint="the Argos index and packages are fetched over https")
    return urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 - scheme checked above


def read_index(url: str, *, timeout: float = 30.0, max_bytes: int = MAX_INDEX_BYTES) -> list[IndexEntry]:
    """The translation packages an index offers. An unreachable, oversized or malformed index is a
    UserError that says how to install offline instead."""
    offline_hint = ("this machine may be offline: download the .argosmodel elsewhere and run "
                    "`adapt models install argos --file FILE`, or point ADAPT_ARGOS_INDEX at a mirror")
    try:
        with _open(url, timeout) as response:
            raw = response.read(max_bytes + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise UserError(f"cannot read the Argos package index at {url} ({exc})", hint=offline_hint) from None
    if len(raw) > max_bytes:
        raise HostileInput(f"the Argos package index at {url} is larger than {max_bytes} bytes",
                           hint="check ADAPT_ARGOS_INDEX points at an index.json")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"the Argos package index at {url} is not JSON ({exc})",
                        hint="check ADAPT_ARGOS_INDEX points at an index.json") from None
    if not isinstance(data, list):
        raise UserError(f"the Argos package index at {url} is not a list of packages",
                        hint="check ADAPT_ARGOS_INDEX points at an index.json")
    return [e for e in (IndexEntry.from_json(item) for item in data) if e is not None]


def find_entry(entries: list[IndexEntry], source: str, target: str) -> IndexEntry:
    source, target = normalise_language(source), normalise_language(target)
    wanted = [e for e in entries if (e.source, e.target) == (source, target)]
    if not wanted:
        raise UnsupportedLanguagePair(
            f"the Argos index has no {source}→{target} package",
            hint=f"install {source}→en and en→{target} to pivot through English",
        )
    return wanted[-1]


def download(entry: IndexEntry, folder: Path, *, max_bytes: int, timeout: float = 60.0,
             progress: Callable[[int, int], None] | None = None) -> Path:
    """The package as a temporary .argosmodel in `folder` (the caller deletes it). Tries each link in
    turn; the last failure is reported."""
    limit = min(entry.size, max_bytes) if entry.size else max_bytes
    failure = ""
    for link in entry.links:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".download-", suffix=".argosmodel")
        path = Path(name)
        try:
            with open(fd, "wb") as out:
                _fetch(link, out, entry=entry, limit=limit, timeout=timeout, progress=progress)
            return path
        except DownloadFailed as exc:
            path.unlink(missing_ok=True)
            failure = exc.message if hasattr(exc, "message") else str(exc)
            if isinstance(exc, _Refused):
                raise
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    raise DownloadFailed(f"downloading the {entry.source}→{entry.target} Argos package failed: {failure}",
                         hint="check the connection and try again, or install from a file with --file")


class _Refused(DownloadFailed):
    """The package itself is wrong (checksum, size): another mirror of the same entry will not help."""


def _fetch(link: str, out: Any, *, entry: IndexEntry, limit: int, timeout: float,
           progress: Callable[[int, int], None] | None) -> None:
    digest = hashlib.sha256()
    received = 0
    try:
        with _open(link, timeout) as response:
            header = response.headers.get("Content-Length")
            expected = int(header) if header and header.isdigit() else None
            if expected is not None and expected > limit:
                raise _Refused(f"{link} is {expected} bytes, more than the limit of {limit}"
                               + (" (the size the index gives)" if entry.size else ""),
                               hint="the index or the server is wrong; do not install it")
            while True:
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                received += len(chunk)
                if received > limit:
                    raise _Refused(f"{link} sent more than {limit} bytes"
                                   + (" (the size the index gives)" if entry.size else ""),
                                   hint="the index or the server is wrong; do not install it")
                digest.update(chunk)
                out.write(chunk)
                if progress:
                    progress(received, expected or entry.size or 0)
    except (urllib.error.URLError, OSError, ValueError) as exc:  # includes http.client.IncompleteRead
        raise DownloadFailed(f"{link}: {exc}") from None
    if expected is not None and received != expected:
        raise DownloadFailed(f"{link} stopped after {received} of {expected} bytes")
    if entry.size is not None and received != entry.size:
        raise _Refused(f"{link} is {received} bytes; the index says {entry.size}",
                       hint="the index or the server is wrong; do not install it")
    if entry.sha256 is not None and digest.hexdigest() != entry.sha256:
        raise _Refused(f"{link} does not match the index's sha256 checksum",
                       hint="the file was changed or damaged; do not install it")
