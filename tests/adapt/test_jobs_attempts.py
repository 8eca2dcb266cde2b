"""A job that keeps dying with its process is run at most jobs.MAX_ATTEMPTS times, then failed with the
reason (issue 18: a 5 MB file requeued after every restart with no cap). The deaths are real `kill -9`s
of a process that claimed the job."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from adapt import jobs
from tests.adapt.test_jobs_runner import resource, tagging, wait_finished  # noqa: F401 - fixtures

CLAIM_AND_HANG = """
import sys, time
from adapt import jobs
from adapt.store import Store
store = Store(sys.argv[1])
job = jobs.claim_next(store)
print(job.id if job else 0, flush=True)
time.sleep(120)
"""


def _claim_then_kill(db) -> int:
    child = subprocess.Popen([sys.executable, "-c", CLAIM_AND_HANG, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        claimed = int(child.stdout.readline())
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    return claimed


def test_job_killed_three_times_is_failed_with_the_reason(tagging):  # noqa: F811
    rid = resource(tagging)
    job = jobs.create_job(tagging.store, rid, [{"task": "tag"}], created_by="ed")
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        assert _claim_then_kill(tagging.store.path) == job.id
        assert jobs.get_job(tagging.store, job.id).attempts == attempt
        if attempt < jobs.MAX_ATTEMPTS:
            assert jobs.requeue_interrupted(tagging.store) == [job.id]  # a restart: tried again
    runner = tagging.start_job_runner(poll_seconds=0.05)  # the last restart
    assert runner.running
    failed = wait_finished(tagging, job.id)
    assert failed.status == "failed" and failed.attempts == jobs.MAX_ATTEMPTS
    assert f"stopped {jobs.MAX_ATTEMPTS} times while it ran" in failed.error
    time.sleep(0.2)
    assert jobs.get_job(tagging.store, job.id).status == "failed"  # not picked up again
    # Other work goes on.
    good = tagging.session(tagging.people.get("ed")).start_job(rid, [{"task": "tag"}])
    assert wait_finished(tagging, good.id).status == "done"
