"""Live state (issue 14, defect 6): a step's suggestions are stored batch by batch (small batches first),
each batch in its own transaction with a guard's rejections, so rows reach reviewers while a job runs and
a `kill -9` leaves whole batches that a retry does not duplicate; a job names its phase; the review stamp
moves with every change a page must show; search folds case and accents and works across pages."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from adapt import jobs
from adapt.comments import comment
from adapt.document import Segment
from adapt.errors import UnknownResource
from adapt.live import review_stamp
from adapt.people import User
from adapt.pipeline import StepResult, batch_bounds, run_step
from adapt.review import ReviewFilter, bulk_accept_candidates, fold, review_page, text_matches
from adapt.store import NewResource, NewSuggestion, Store
from tests.adapt.test_jobs_runner import wait_finished
from ui.render import running_detail

EDITOR, TEACHER = User("ed", "editor", ""), User("olga", "teacher", "")


def _resource(store: Store, texts: list[str], owner: str = "tina") -> int:
    segs = [Segment(f"p-{i}", "paragraph", t) for i, t in enumerate(texts)]
    body = "\n\n".join(texts).encode()
    rid, _ = store.add_resource(NewResource("markdown", f"{abs(hash(body))}.md", body, language="en", owner=owner),
                                segs)
    return rid


def test_batches_start_small_and_double_up_to_the_batch_size():
    assert batch_bounds(0, 64) == []
    assert batch_bounds(3, 64) == [(0, 3)]
    assert batch_bounds(24, 64) == [(0, 4), (4, 12), (12, 24)]
    assert batch_bounds(200, 64) == [(0, 4), (4, 12), (12, 28), (28, 60), (60, 124), (124, 188), (188, 200)]
    assert batch_bounds(5, 1) == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]


class CountingStep:
    """Upper-cases its batch and notes how many suggestions were already stored when each batch began."""

    name, target_language, one_per_segment = "translate", "pt", True

    def __init__(self, store: Store, resource_id: int) -> None:
        self.store, self.resource_id, self.seen = store, resource_id, []

    def __call__(self, batch):
        self.seen.append((len(batch), len(self.store.suggestions(self.resource_id))))
        return [StepResult(s, s.text.upper(), {"engine": "upper"},
                           rejected_by="guard" if s.text == "Sentence 7." else None) for s in batch]


def test_each_batch_is_stored_before_the_next_runs_and_progress_follows(store):
    rid = _resource(store, [f"Sentence {i}." for i in range(20)])
    step, reports = CountingStep(store, rid), []
    run = run_step(store, rid, step, progress=lambda done, total: reports.append((done, total)))
    assert step.seen == [(4, 0), (8, 4), (8, 12)]  # the reviewer sees 4 rows, then 12, while the rest runs
    assert reports == [(0, 20), (4, 20), (12, 20), (20, 20)]
    assert (run.suggestions, run.rejected) == (19, 1)
    refused = next(s for s in store.suggestions(rid) if s.source_text == "Sentence 7.")
    assert refused.status == "rejected" and [d.actor for d in store.decisions(refused.id)] == ["guard"]
    again = run_step(store, rid, CountingStep(store, rid))
    assert (again.suggestions, again.unchanged) == (0, 20) and len(store.suggestions(rid)) == 20


def test_a_guard_rejection_lands_in_the_same_transaction_as_its_row(store):
    rid = _resource(store, ["One.", "Two."])
    seg = store.segments(rid)[0]
    refused = NewSuggestion(rid, seg.id, "simplify", "en", "One.", "1.", {"s": "t"}, rejected_by="guard")
    broken = NewSuggestion(rid + 999, seg.id, "simplify", "en", "One.", "Uno.", {"s": "t"})  # no such resource
    with pytest.raises(Exception):  # noqa: B017 - the database's own foreign-key error, either dialect
        store.add_suggestions([refused, broken])
    assert store.suggestions(rid) == []  # nothing half written: neither the row nor its rejection
    (sid,) = store.add_suggestions([refused])
    assert store.suggestion(sid).status == "rejected" and store.suggestion(sid).decided_by == "guard"


def test_the_review_stamp_moves_with_rows_decisions_undos_and_comments(store):
    rid = _resource(store, ["Rain falls.", "Rivers flow."])
    other = _resource(store, ["Snow melts."])
    stamps = [review_stamp(store, EDITOR, rid)]
    seg = store.segments(rid)[0]
    (sid,) = store.add_suggestions([NewSuggestion(rid, seg.id, "translate", "pt", "Rain falls.", "A chuva cai.",
                                                  {"e": "t"})])
    stamps.append(review_stamp(store, EDITOR, rid))
    store.accept(sid, actor="ed")
    stamps.append(review_stamp(store, EDITOR, rid))
    store.undo(sid, actor="ed")
    stamps.append(review_stamp(store, EDITOR, rid))
    comment(store, EDITOR, sid, "Fine.")
    stamps.append(review_stamp(store, EDITOR, rid))
    assert len({s.key().__repr__() for s in stamps}) == len(stamps)  # every change moved it
    oseg = store.segments(other)[0]
    store.add_suggestions([NewSuggestion(other, oseg.id, "translate", "pt", "Snow melts.", "A neve derrete.",
                                         {"e": "t"})])
    assert review_stamp(store, EDITOR, rid) == stamps[-1]  # another resource's change does not
    with pytest.raises(UnknownResource):
        review_stamp(store, TEACHER, rid)  # a teacher cannot poll someone else's resource


def test_search_folds_case_and_accents_and_needs_every_word():
    assert fold("  Água   É ") == "agua e"
    assert text_matches("agua", "A ÁGUA cai.")
    assert text_matches("CHUVA água", "Rain", "A água cai como chuva.")
    assert not text_matches("neve", "A água cai.", None)


def test_search_works_with_pagination_and_the_bulk_count_covers_every_page(store):
    rid = _resource(store, [f"Water cycle step {i}." for i in range(30)] + ["Rocks."])
    store.add_suggestions([NewSuggestion(rid, s.id, "translate", "pt", s.source_text,
                                         "Pedras." if s.source_text == "Rocks." else f"Ciclo da água, passo {i}.",
                                         {"e": "t"}, qa_flags=[{"code": "x", "message": "m"}] if i == 3 else [])
                           for i, s in enumerate(store.segments(rid))])
    flt = ReviewFilter(search="AGUA")
    first, second = (review_page(store, rid, flt, page=p, page_size=25) for p in (1, 2))
    assert (first.matching, first.pages, len(first.rows), len(second.rows)) == (30, 2, 25, 5)
    assert "Rocks." not in {r.source_text for r in first.rows + second.rows}
    assert len(bulk_accept_candidates(store, EDITOR, rid, first.matching_ids)) == 29  # all pages, unflagged
    assert review_page(store, rid, ReviewFilter(search="rocks pedras")).matching == 1
    store.edit(first.rows[0].id, "Texto revisto pela Inês.", actor="ed")
    assert [r.id for r in review_page(store, rid, ReviewFilter(search="ines")).rows] == [first.rows[0].id]


def test_a_running_job_names_its_phase_and_counts_segments():
    job = jobs.Job(1, 1, [{"task": "translate", "target": "pt"}, {"task": "simplify"}, {"task": "tag"}],
                   "running", 0, 8, 24)
    assert job.phase == "translating" and job.to_json()["phase"] == "translating"
    assert running_detail(job) == "translating · 8 / 24 segments · step 1 of 3"
    tagging = jobs.Job(1, 1, job.tasks, "running", 2, 0, 1)
    assert tagging.phase == "tagging" and running_detail(tagging) == "tagging · step 3 of 3"
    assert jobs.Job(1, 1, job.tasks, "done", 2, 1, 1).phase is None


KILLED_MID_JOB = textwrap.dedent("""
    import sys, time
    from adapt import jobs
    from adapt.service import AdaptService
    from adapt.settings import Settings

    svc = AdaptService(Settings(db_path=sys.argv[1], cache_dir=sys.argv[2], data_dir=sys.argv[3], user="t"))
    real = svc.translator()

    class StopsInBatchTwo:  # the real engine; the second batch never returns (the process is killed there)
        calls = 0
        def __getattr__(self, name):
            return getattr(real, name)
        def translate(self, texts, **kw):
            StopsInBatchTwo.calls += 1
            if StopsInBatchTwo.calls == 2:
                print("in batch 2", flush=True)
                time.sleep(300)
            return real.translate(texts, **kw)

    svc.engines.use_translator(StopsInBatchTwo())
    jobs.run_job(svc, jobs.claim_next(svc.store))
""")


@pytest.mark.slow
def test_kill_9_mid_job_keeps_the_stored_batch_and_the_retry_adds_no_duplicates(service, tmp_path):
    texts = [f"The river number {i} carries water to the sea." for i in range(10)]
    rid = _resource(service.store, texts, owner="ed")
    service.people.add("ed", "editor", "a long password 1")
    job = service.session(service.people.get("ed")).start_job(rid, [{"task": "translate", "target": "pt",
                                                                       "assume_license": "CC-BY-4.0"}])
    settings = service.settings
    child = subprocess.Popen([sys.executable, "-c", KILLED_MID_JOB, str(settings.db_path), str(settings.cache_dir),
                              str(settings.data_dir)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "in batch 2"
        stored = service.store.suggestions(rid, task="translate")
        running = jobs.get_job(service.store, job.id)
        assert len(stored) == 4 and running.status == "running" and (running.done, running.total) == (4, 10)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    first_ids = {s.id for s in stored}
    service.start_job_runner(poll_seconds=0.05)  # the restart queues the job again and runs it
    done = wait_finished(service, job.id, timeout=300)
    assert done.status == "done", done.error
    after = service.store.suggestions(rid, task="translate")
    assert len(after) == 10 and len({s.segment_id for s in after}) == 10  # one per segment: no duplicates
    assert first_ids <= {s.id for s in after}
