"""Several `adapt serve` processes against one PostgreSQL database behave as one service: a user added
once logs in on each, a job started once runs once (on whichever server claims it), and decisions made
through one are seen by the other. Sessions are each server's own (Gradio keeps them in memory): a
load balancer in front must keep a browser on the server it logged in to (README, sticky sessions)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from adapt.service import AdaptService
from adapt.settings import Settings
from tests.conftest import FIXTURES, REPO
from tests.ui.conftest import PASSWORD, free_port

pytestmark = pytest.mark.slow


def _wait_up(url: str, server: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.stderr.read()[-2000:] if server.stderr else ''}")
        try:
            urllib.request.urlopen(url + "/", timeout=5)
            return
        except urllib.error.HTTPError:
            return  # it answers (a login page or 401): up
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not come up in {timeout} s")


def _login(url: str, name: str, password: str) -> tuple[int, CookieJar]:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    data = urllib.parse.urlencode({"username": name, "password": password}).encode()
    try:
        status = opener.open(url + "/login", data=data, timeout=30).status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, jar


def test_two_servers_share_one_postgres_database_and_run_a_job_once(postgres_url, tmp_path):
    settings = Settings(db_path=postgres_url, data_dir=tmp_path / "data", cache_dir=tmp_path / "cache", user="ana")
    service = AdaptService(settings)
    service.people.add("ana", "editor", PASSWORD)
    env = {**os.environ, "ADAPT_DB": postgres_url, "ADAPT_DATA_DIR": str(settings.data_dir),
           "ADAPT_CACHE_DIR": str(settings.cache_dir)}
    ports = [free_port(), free_port()]
    servers = [subprocess.Popen([sys.executable, "-m", "adapt", "serve", "--port", str(p)], cwd=REPO, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for p in ports]
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for url, server in zip(urls, servers):
            _wait_up(url, server)
        # the same user, from the shared database, logs in on both; a wrong password on neither
        for url in urls:
            assert _login(url, "ana", PASSWORD)[0] == 200
            assert _login(url, "ana", "wrong password")[0] == 400

        ana = service.session(service.people.get("ana"))
        rid = service.import_file(FIXTURES / "lesson.md", license="CC-BY-4.0").resource_id
        job = ana.start_job(rid, [{"task": "translate", "target": "pt"}])
        deadline = time.monotonic() + 240
        while ana.job(job.id).status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.5)
        finished = ana.job(job.id)
        assert finished.status == "done", finished.error
        assert finished.attempts == 1  # claimed by one server only, never requeued by the other
        suggestions = service.review.suggestions(rid, task="translate")
        segments = service.licences.adaptable_segments(rid)
        assert sorted(s.segment_id for s in suggestions if s.origin == "model") == sorted(
            s.segment_id for s in segments)

        # a decision made through one server's service is the other's state, version checks included
        other = AdaptService(settings)
        first = suggestions[0]
        service.review.edit(first.id, "Editado por ana.", actor="ana", expected_version=first.version)
        from adapt.errors import ConflictError

        with pytest.raises(ConflictError):
            other.review.edit(first.id, "Editado por bea.", actor="bea", expected_version=first.version)
        assert other.review.suggestion(first.id).final_text == "Editado por ana."
        other.close()
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        service.close()
