"""Real `kill -9`s of the CLI in the middle of its work (issue 18: "kills survived"): a translation
killed at several points of its progress, and `accept --all` killed while it writes. After each kill the
database must be intact (SQLite's integrity check), hold no duplicate suggestion, and every row's
status must be what its decision log says; a rerun then finishes the work without doing any twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from adapt.store import Decision, replay  # replay: the one definition of "what the log says"

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]
SENTENCES = ["Water moves around our planet all the time.", "The Sun warms the oceans and lakes.",
             "Some of the water turns into vapour and rises into the air.", "High in the sky the vapour cools.",
             "Tiny drops of water join together and form clouds.", "When the drops get heavy, they fall as rain."]


def lesson(folder: Path, paragraphs: int = 120) -> Path:
    text = "# The water cycle\n\n" + "\n\n".join(
        f"{SENTENCES[i % len(SENTENCES)]} This is paragraph {i + 1} of the lesson." for i in range(paragraphs))
    path = folder / "water.md"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def adapt(db: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "ADAPT_USER": "ed", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.Popen([sys.executable, "-m", "adapt", "--db", str(db), *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def kill_when(child: subprocess.Popen, ready, limit: float = 300) -> bool:
    """SIGKILL the child as soon as `ready()` holds; False when it ended first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and child.poll() is None:
        if ready():
            child.send_signal(signal.SIGKILL)
            child.wait(30)
            return True
        time.sleep(0.02)
    if child.poll() is None:
        child.kill()
        raise AssertionError("the command neither reached the point nor ended")
    return False


def check_intact(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'suggestions'").fetchone():
            return  # killed while the schema was being made: the next command must finish it (checked below)
        dup = conn.execute("SELECT segment_id, task, target_language, COUNT(*) FROM suggestions WHERE segment_id "
                           "IS NOT NULL GROUP BY 1, 2, 3 HAVING COUNT(*) > 1").fetchall()
        assert dup == [], f"duplicate suggestions after a kill: {dup[:5]}"
        for sid, status, final, version in conn.execute("SELECT id, status, final_text, version FROM suggestions"):
            log = [Decision(*row) for row in conn.execute(
                "SELECT id, suggestion_id, action, text, actor, created_at FROM decisions WHERE suggestion_id = ? "
                "ORDER BY id", (sid,))]
            assert (status, final) == replay(log)[:2], f"suggestion {sid} disagrees with its decision log"
            assert version == len(log)


def test_translate_and_accept_all_survive_kill_9(tmp_path):
    db, source = tmp_path / "adapt.db", lesson(tmp_path)
    translate = ("translate", str(source), "--to", "pt", "--license", "CC-BY-4.0", "--no-memory", "--json")
    translated = "SELECT COUNT(*) FROM suggestions WHERE task = 'translate'"
    kills = 0
    # During start-up and import, then at several points of the translation's progress.
    for point in (-1, 0, 25, 60, 100):
        child = adapt(db, *translate)
        ready = (lambda: db.exists()) if point < 0 else (lambda p=point: count(db, translated) > p)
        if kill_when(child, ready):
            kills += 1
            check_intact(db)
    done = adapt(db, *translate)
    out, err = done.communicate(timeout=600)
    assert done.returncode == 0, err[-2000:]
    check_intact(db)
    segments = count(db, "SELECT COUNT(*) FROM segments WHERE translatable = 1")
    assert count(db, "SELECT COUNT(DISTINCT resource_id) FROM suggestions") == 1  # the rerun resumed, not restarted
    assert count(db, translated) == segments == 121
    resource = count(db, "SELECT MIN(resource_id) FROM suggestions")

    # A few decisions by hand first, so that accept --all has rows it must leave alone.
    subprocess.run([sys.executable, "-m", "adapt", "--db", str(db), "edit", "3", "--text", "Texto do revisor.",
                    "--as", "ed"], cwd=ROOT, check=True, capture_output=True)
    accepted = "SELECT COUNT(*) FROM suggestions WHERE status != 'pending'"
    for delay in (0.2, 0.6, 1.0, 1.5, 2.5):  # start-up takes about a second: some land in the write itself
        child = adapt(db, "accept", "--resource", str(resource), "--all", "--json")
        started = time.monotonic()
        if kill_when(child, lambda d=delay, t=started: time.monotonic() - t >= d):
            kills += 1
            check_intact(db)
            assert count(db, accepted) in (1, segments)  # the bulk accept is one transaction: all or nothing
    finish = adapt(db, "accept", "--resource", str(resource), "--all", "--json")
    out, err = finish.communicate(timeout=300)
    assert finish.returncode == 0, err[-2000:]
    check_intact(db)
    assert count(db, accepted) == segments
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT final_text FROM suggestions WHERE id = 3").fetchone()[0] == "Texto do revisor."
    assert kills >= 5, f"only {kills} kills landed before the work ended"
    print(f"kill -9 survived: {kills}")
