"""Background jobs: queued in SQLite, run by a worker thread, pluggable tasks, restart-safe."""

from __future__ import annotations

import time

import pytest

from adapt import jobs
from adapt.errors import UserError
from adapt.formats import parse_stored
from adapt.service import AdaptService
from adapt.store import NewSuggestion

LESSON = b"# Water\n\nPlants take in water through their roots.\n\nLeaves lose water.\n"


class TaggingService(AdaptService):
    """The runner's mechanics (order, progress, summaries, failures) with fast stand-ins for the model
    tasks; the real tagger runs as a job in tests/adapt/tagging/test_tagging_review.py and tests/ui."""

    simplified: list = []

    def simplify_resource(self, resource_id, *, level, progress=None, **options):
        self.simplified.append((resource_id, level))
        return {"suggestions": 0, "level": level}

    def tag_resource(self, resource_id, *, progress=None, **options):
        if progress:
            progress(0, 1)
        self.store.add_suggestions([NewSuggestion(resource_id, None, "tag:subject", None, "", "biology",
                                                  {"model": "test"})])
        if progress:
            progress(1, 1)
        return {"tags": 1}


def wait_finished(service, job_id: int, timeout: float = 60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        job = jobs.get_job(service.store, job_id)
        if job.finished:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


@pytest.fixture
def tagging(settings):
    svc = TaggingService(settings)
    svc.people.add("ed", "editor", "password-1")
    svc.people.add("eve", "evaluator", "password-1")
    yield svc
    svc.stop_job_runner()
    svc.close()


def resource(svc) -> int:
    return svc.import_document(parse_stored("markdown", "w.md", LESSON), LESSON, language="en", owner="ed").resource_id


def test_jobs_task_list_is_translate_simplify_tag(service):
    tasks = jobs.job_tasks(service)
    assert list(tasks) == ["translate", "simplify", "tag"]
    assert [t.label for t in tasks.values()] == ["Translate", "Simplify", "Tag"]
    assert tasks["simplify"].describe({"level": 6}) == "simplify to grade 6"
    assert tasks["tag"].describe({}) == "suggest tags"


def test_jobs_runner_runs_a_plugged_task_in_the_background(tagging):
    rid = resource(tagging)
    tagging.start_job_runner(poll_seconds=0.05)
    job = tagging.session(tagging.people.get("ed")).start_job(rid, [{"task": "simplify", "level": 5}, {"task": "tag"}])
    done = wait_finished(tagging, job.id)
    assert done.status == "done" and done.fraction == 1.0
    assert done.summary == [{"task": "simplify", "suggestions": 0, "level": 5}, {"task": "tag", "tags": 1}]
    assert tagging.simplified == [(rid, 5)]
    assert [s.text for s in tagging.session(tagging.people.get("ed")).resource_suggestions(rid)] == ["biology"]
    assert [j.id for j in tagging.session(tagging.people.get("ed")).jobs()] == [job.id]


def test_jobs_start_checks_role_and_request_before_queueing(tagging):
    rid = resource(tagging)
    with pytest.raises(UserError, match="can only read"):
        tagging.session(tagging.people.get("eve")).start_job(rid, [{"task": "tag"}])
    with pytest.raises(UserError, match="unknown task"):
        tagging.session(tagging.people.get("ed")).start_job(rid, [{"task": "summon"}])
    with pytest.raises(UserError, match="cannot translate en→xx"):
        tagging.session(tagging.people.get("ed")).start_job(rid, [{"task": "translate", "target": "xx"}])
    with pytest.raises(UserError, match="at least one task"):
        tagging.session(tagging.people.get("ed")).start_job(rid, [])
    assert jobs.list_jobs(tagging.store) == []


def test_jobs_failures_are_recorded_and_the_worker_lives_on(tagging):
    rid = resource(tagging)
    bad = jobs.create_job(tagging.store, rid, [{"task": "tag"}, {"task": "summon"}], created_by="ed")
    tagging.start_job_runner(poll_seconds=0.05)
    failed = wait_finished(tagging, bad.id)
    assert failed.status == "failed" and "cannot run the task 'summon'" in failed.error
    assert failed.summary == [{"task": "tag", "tags": 1}]  # the finished step is kept
    good = tagging.session(tagging.people.get("ed")).start_job(rid, [{"task": "tag"}])
    assert wait_finished(tagging, good.id).status == "done"


def test_jobs_interrupted_by_a_restart_run_again(tagging):
    rid = resource(tagging)
    job = jobs.create_job(tagging.store, rid, [{"task": "tag"}], created_by="ed")
    assert jobs.claim_next(tagging.store).id == job.id  # a process took it, then died
    assert jobs.get_job(tagging.store, job.id).status == "running"
    runner = tagging.start_job_runner(poll_seconds=0.05)
    assert runner.running
    done = wait_finished(tagging, job.id)
    assert done.status == "done" and done.attempts == 2


def test_jobs_progress_fraction():
    job = jobs.Job(1, 1, [{"task": "a"}, {"task": "b"}], "running", step=1, done=5, total=10)
    assert job.fraction == pytest.approx(0.75)
    assert jobs.Job(1, 1, [{"task": "a"}], "queued", 0, 0, 0).fraction == 0.0


@pytest.mark.slow
def test_jobs_translate_with_the_packaged_model(service):
    service.people.add("ed", "editor", "password-1")
    rid = service.import_document(parse_stored("markdown", "w.md", LESSON), LESSON, language="en",
                                  license="CC-BY-4.0", owner="ed").resource_id
    service.start_job_runner(poll_seconds=0.05)
    try:
        job = service.session(service.people.get("ed")).start_job(rid, [{"task": "translate", "target": "pt"}])
        done = wait_finished(service, job.id, timeout=300)
    finally:
        service.stop_job_runner()
    assert done.status == "done", done.error
    assert done.summary[0]["suggestions"] == 3 and (done.done, done.total) == (3, 3)
    texts = [s.text for s in service.review.suggestions(rid)]
    assert any("plantas" in t.lower() for t in texts)
