"""Storage faults on real mounts (issue 18): a database on a read-only filesystem, a full disk.

The faults are real: a tmpfs mounted read-only (file permissions do not stop root, a read-only mount
does) and a tmpfs of a few hundred KiB filled to the last byte. Mounting needs root, as on CI; elsewhere
these tests are skipped with the reason.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from adapt.store import NewSuggestion

LESSON = b"# Water\n\nWater boils at one hundred degrees.\n\nIce melts at zero degrees.\n\nSteam is hot.\n"

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None,
                                reason="real read-only and full filesystems need `mount` as root (CI runs as root)")


class Tmpfs:
    def __init__(self, path: Path, size: str) -> None:
        self.path = path
        path.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)], check=True)

    def remount(self, mode: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.path)], check=True)

    def fill(self) -> Path:
        """Fill the filesystem to the last block; returns the filler (delete it to free the space)."""
        filler = self.path / "filler"
        with open(filler, "wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * 4096)
                    handle.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        return filler

    def close(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], check=True)


@pytest.fixture
def tmpfs(tmp_path):
    made: list[Tmpfs] = []

    def make(name: str = "disk", size: str = "4m") -> Tmpfs:
        made.append(Tmpfs(tmp_path / name, size))
        return made[-1]

    yield make
    for fs in made:
        fs.close()


def _fill_db(db: Path, tmp_path: Path) -> list[int]:
    """A resource with three pending suggestions, written through the real service."""
    from adapt.service import AdaptService
    from adapt.settings import Settings

    src = tmp_path / "water.md"
    src.write_bytes(LESSON)
    service = AdaptService(Settings(db_path=db, cache_dir=tmp_path / "cache", data_dir=tmp_path / "data",
                                    user="tester"))
    try:
        imported = service.import_file(src, language="en", license="CC-BY-4.0")
        segments = service.store.segments(imported.resource_id)
        ids = service.store.add_suggestions([
            NewSuggestion(imported.resource_id, s.id, "translate", "pt", s.source_text, f"[pt] {s.source_text}",
                          {"engine": "test"}) for s in segments])
    finally:
        service.close()
    return [i for i in ids if i is not None]


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchone()[0]


def test_read_only_mount_reads_work_and_writes_say_so(adapt, tmp_path, tmpfs):
    fs = tmpfs("ro")
    adapt.db = fs.path / "adapt.db"
    ids = _fill_db(adapt.db, tmp_path)
    fs.remount("ro")
    with pytest.raises(OSError):
        (fs.path / "probe").write_bytes(b"x")  # really read-only, even for root

    assert [r["resource"] for r in adapt.json("resources")] == [1]
    assert len(adapt.json("suggestions", "1")) == len(ids)
    out = tmp_path / "water.pt.md"
    adapt("export", "1", "--out", out, "--to", "pt", "--include-unreviewed")
    assert "pt\\] Water boils" in out.read_text()

    for args in (["accept", str(ids[0])], ["reject", str(ids[1])], ["edit", str(ids[0]), "--text", "Agua"],
                 ["accept", "--resource", "1", "--all"]):
        result = adapt(*args, expect=1)
        assert result.stderr.startswith("error: the database is read-only"), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    failed = adapt.json("accept", str(ids[0]), expect=1)
    assert failed["exit_code"] == 1 and "was not saved" in failed["error"]
    assert "accept of suggestion" in failed["error"]


def test_read_only_database_serve_starts_read_only(tmp_path, tmpfs):
    from adapt.service import AdaptService
    from adapt.settings import Settings
    from tests.ui.conftest import free_port
    from ui.server import serve

    fs = tmpfs("ro-serve")
    db = fs.path / "adapt.db"
    _fill_db(db, tmp_path)
    service = AdaptService(Settings(db_path=db, cache_dir=tmp_path / "cache", data_dir=tmp_path / "data"))
    service.people.add("ed", "editor", "correct horse battery")
    service.close()
    fs.remount("ro")
    service = AdaptService(Settings(db_path=db, cache_dir=tmp_path / "cache", data_dir=tmp_path / "data"))
    assert service.store.read_only
    app = serve(service, host="127.0.0.1", port=free_port(), block=False, quiet=True)
    try:
        assert getattr(service, "_job_runner", None) is None  # nothing to requeue, nothing written
        assert service.people.authenticate("ed", "correct horse battery") is not None
    finally:
        app.close()
        service.close()


def test_cli_serve_says_read_only(tmp_path, tmpfs, monkeypatch):
    from click.testing import CliRunner

    import ui.server
    from adapt.cli import _register

    fs = tmpfs("ro-cli")
    db = fs.path / "adapt.db"
    _fill_db(db, tmp_path)
    from adapt.service import AdaptService
    from adapt.settings import Settings

    service = AdaptService(Settings(db_path=db))
    service.people.add("ed", "editor", "correct horse battery")
    service.close()
    fs.remount("ro")
    seen = {}
    monkeypatch.setattr(ui.server, "serve", lambda svc, **kw: seen.update(read_only=svc.store.read_only))
    result = CliRunner().invoke(_register(), ["--db", str(db), "serve", "--port", "7999"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "read-only" in result.output and seen == {"read_only": True}


def test_disk_full_write_is_exit_1_and_nothing_half_written(adapt, tmp_path, tmpfs):
    fs = tmpfs("full", size="1m")
    adapt.db = fs.path / "adapt.db"
    ids = _fill_db(adapt.db, tmp_path)
    decisions = _count(adapt.db, "SELECT COUNT(*) FROM decisions")
    filler = fs.fill()
    big = "x" * 300_000  # needs new pages: cannot fit
    result = adapt("edit", str(ids[0]), "--text", big, expect=1)
    assert result.stderr.startswith("error: disk full: the edit of suggestion"), result.stderr
    assert "was not saved" in result.stderr
    filler.unlink()
    assert _count(adapt.db, "SELECT COUNT(*) FROM decisions") == decisions  # nothing half written
    assert _count(adapt.db, f"SELECT status FROM suggestions WHERE id = {ids[0]}") == "pending"
    adapt("accept", str(ids[0]))  # and the database is fine afterwards
    assert _count(adapt.db, f"SELECT status FROM suggestions WHERE id = {ids[0]}") == "accepted"


def test_store_write_keeps_sqlites_error_when_sqlite_rolled_back(tmp_path, tmpfs):
    """SQLite ends the transaction itself on SQLITE_FULL; the old code's ROLLBACK then raised
    "cannot rollback - no transaction is active" and hid the cause (exit 2)."""
    from adapt.errors import DiskFull
    from adapt.store import Store

    fs = tmpfs("full-store", size="512k")
    store = Store(fs.path / "s.db")
    store.write(lambda c: c.execute("CREATE TABLE t (x TEXT)"))
    fs.fill()
    with pytest.raises(DiskFull) as caught:
        store.write(lambda c: c.executemany("INSERT INTO t VALUES (?)", [("y" * 4000,)] * 400),
                    what="the big insert")
    assert "the big insert was not saved" in caught.value.message
    assert not store.read(lambda c: c.in_transaction)
    store.close()


def test_export_to_a_full_disk_leaves_nothing(adapt, tmp_path, tmpfs):
    ids = _fill_db(adapt.db, tmp_path)
    fs = tmpfs("full-out", size="256k")
    fs.fill()
    out = fs.path / "water.pt.md"
    # a big edit, so the export needs more than the blocks rounding may leave
    adapt("edit", str(ids[0]), "--text", "agua " * 20_000)
    result = adapt("export", "1", "--out", out, "--to", "pt", expect=1)
    assert result.stderr.startswith("error: disk full: ") and str(out) in result.stderr
    assert sorted(p.name for p in fs.path.iterdir()) == ["filler"]  # no x.partial, no half of x
