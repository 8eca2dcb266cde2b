"""`adapt batch`: the Ray-free seam (run_step_batch + store_results) on both databases with the real
Bergamot model, the CLI's input errors, and a real local Ray cluster with a worker killed mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from adapt.batch import BatchSettings, batches, pending_segments, run_step_batch, store_results
from adapt.service import AdaptService
from adapt.settings import Settings
from tests.adapt.cli.conftest import Adapt
from tests.conftest import REPO

pytestmark = pytest.mark.slow


def _modules(shared: Path, n: int) -> list[Path]:
    root = shared / "oer" / "openstax-intro-python" / "modules"
    return [root / f"m{i:05d}" / "index.cnxml" for i in range(2, 2 + n)]


def test_run_step_batch_translates_and_storing_twice_adds_nothing(database, shared, tmp_path):
    service = AdaptService(Settings(db_path=database, data_dir=tmp_path / "data", cache_dir=tmp_path / "cache",
                                    user="tester"))
    try:
        rid = service.import_file(_modules(shared, 1)[0]).resource_id
        segments = service.licences.adaptable_segments(rid)
        settings = BatchSettings("translate", str(database), rid, "en", target="pt",
                                 data_dir=str(tmp_path / "data"), cache_dir=str(tmp_path / "cache"))
        first = batches(segments, 8)[0]
        output = run_step_batch("translate", settings, first)
        assert output.segments == len(first) and len(output.results) == len(first)
        assert output.step == "translate" and output.target_language == "pt" and output.one_per_segment
        assert store_results(service.store, rid, first, output) == (len(first), 0)
        assert store_results(service.store, rid, first, output) == (0, len(first))  # a retried batch
        assert len(pending_segments(service.store, segments, "translate", "pt")) == len(segments) - len(first)
        with pytest.raises(ValueError, match="does not match"):
            run_step_batch("simplify", settings, first)
    finally:
        service.close()


@pytest.mark.parametrize("args, message", [
    (["translate", "--to", "pt"], "name at least one file"),
    (["translate", "{lesson}"], "needs --to"),
    (["translate", "{missing}", "--to", "pt"], "no such file"),
    (["translate", "{lesson}", "--to", "pt", "--workers", "0"], "--workers must be"),
    (["simplify", "{lesson}"], "Missing option '--level'"),
])
def test_batch_input_errors_exit_1_before_anything_runs(tmp_path, args, message):
    lesson = tmp_path / "lesson.md"
    lesson.write_text("# Title\n\nA paragraph.\n")
    cli = Adapt(tmp_path / "b.db")
    filled = [a.format(lesson=lesson, missing=tmp_path / "nope.md") for a in args]
    error = cli.json("batch", *filled, expect=1)
    assert message in error["error"]


def _workers_of(mark: str) -> dict[int, str]:
    """Ray actor processes (pid -> title) started by the run carrying `mark` in its environment."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
            if title.startswith("ray::StepWorker") and mark.encode() in (entry / "environ").read_bytes():
                found[int(entry.name)] = title
        except OSError:
            continue
    return found


def test_batch_on_ray_survives_a_killed_worker_and_reruns_add_nothing(shared, tmp_path):
    modules = _modules(shared, 4)
    db = tmp_path / "batch.db"
    mark = uuid.uuid4().hex
    env = {**os.environ, "ADAPT_USER": "tester", "ADAPT_BATCH_TEST_MARK": mark, "ADAPT_DATA_DIR": str(tmp_path),
           "ADAPT_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "adapt", "--db", str(db), "batch", "translate", *map(str, modules),
               "--to", "pt", "--workers", "2", "--batch-size", "8", "--json"]
    run = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 240
    try:
        while run.poll() is None and time.monotonic() < deadline and killed is None:
            busy = [pid for pid, title in _workers_of(mark).items() if title.startswith("ray::StepWorker.run")]
            if busy:
                os.kill(busy[0], signal.SIGKILL)  # a worker dies in the middle of a batch
                killed = busy[0]
            time.sleep(0.05)
        out, err = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
    assert killed is not None, "no Ray worker was seen running a batch"
    assert run.returncode == 0, err[-2000:]
    report = json.loads(out)
    assert report["workers"] == 2 and len(report["resources"]) == 4

    service = AdaptService(Settings(db_path=db, data_dir=tmp_path, cache_dir=tmp_path / "cache", user="tester"))
    try:
        for entry in report["resources"]:
            segments = {s.segment_id for s in service.licences.adaptable_segments(entry["resource"])}
            model = [s for s in service.review.suggestions(entry["resource"], task="translate") if s.origin == "model"]
            # one model suggestion per segment: the killed worker's batch was retried, nothing stored twice
            assert sorted(s.segment_id for s in model) == sorted(segments)
            assert entry["added"] == len(service.review.suggestions(entry["resource"], task="translate"))
    finally:
        service.close()

    again = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    assert all(r["added"] == 0 and r["unchanged"] > 0 for r in json.loads(again.stdout)["resources"])
