"""Tags are suggestions: stored with segment NULL, scores and signature; accept / edit / reject / undo
through the store; re-tagging never duplicates or overrides a decision. Real SQLite; the embedder is
the hash bag of words (this is about the plumbing, the real e5 runs in the slow tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapt.tagging.run import tag_resource, tag_suggestions
from adapt.tagging.tagger import TASK_KEYWORD, TASK_LANGUAGE, TASK_LEVEL, TASK_READING_LEVEL, TASK_SUBJECT, TASKS

LESSON = """# Variables and loops

Programs store values in variables. A variable has a name and a value, and an assignment statement
changes the value. Programmers use loops to repeat statements: a for loop runs once for each item of a
list, and a while loop runs while its condition is true. Functions group statements under a name.

## Exercise

Write a program that uses a loop to print the numbers from one to ten, and store the total in a variable.
"""


@pytest.fixture
def resource(service, tmp_path: Path) -> int:
    path = tmp_path / "lesson.md"
    path.write_text(LESSON, encoding="utf-8")
    return service.import_file(path, license="CC-BY-4.0", owner="tester").resource_id


def test_tagging_review_tags_stored_as_resource_level_suggestions(service, resource, hash_tagger):
    run = tag_resource(service.store, resource, hash_tagger)
    rows = tag_suggestions(service.store, resource)
    assert run.added == len(rows) > 0
    assert {s.task for s in rows} <= set(TASKS)
    assert all(s.segment_id is None and s.segment_key is None for s in rows)
    subjects = [s for s in rows if s.task == TASK_SUBJECT]
    assert len(subjects) == 3
    assert [s.scores["rank"] for s in subjects] == [1, 2, 3]
    assert all(len(s.scores["code"]) == 4 and s.text.startswith(s.scores["code"]) for s in subjects)
    assert subjects[0].scores["score"] >= subjects[1].scores["score"] >= subjects[2].scores["score"]
    assert subjects[0].model_signature["model"] == "hash-bag-of-words"
    assert subjects[0].model_signature["settings"]["taxonomy"] == "ISCED-F 2013"
    language = [s for s in rows if s.task == TASK_LANGUAGE]
    assert [s.text for s in language] == ["en"]
    assert language[0].origin == "rule"
    assert any(s.task == TASK_KEYWORD for s in rows)
    assert any(s.task == TASK_READING_LEVEL and s.text.startswith("grade ") for s in rows)
    assert any(s.task == TASK_LEVEL for s in rows)
    # segment-level review lists and exports ignore tags: they are not text replacements
    assert service.plan_export(resource).plan.replacements == {}


def test_tagging_review_cycle_accept_edit_reject_undo(service, resource, hash_tagger):
    tag_resource(service.store, resource, hash_tagger)
    rows = tag_suggestions(service.store, resource)
    subject = next(s for s in rows if s.task == TASK_SUBJECT)
    keyword = next(s for s in rows if s.task == TASK_KEYWORD)
    store = service.store
    assert store.accept(subject.id, actor="ana").status == "accepted"
    edited = store.edit(keyword.id, "loops", actor="ana")
    assert edited.status == "edited" and edited.current_text == "loops" and edited.text == keyword.text
    assert store.reject(subject.id, actor="rui").status == "rejected"
    assert store.undo(subject.id, actor="rui").status == "accepted"
    assert [d.action for d in store.decisions(subject.id)] == ["accept", "reject", "undo"]
    assert [s.id for s in tag_suggestions(store, resource, status="edited")] == [keyword.id]


def test_tagging_review_retagging_keeps_decisions_and_adds_nothing_equal(service, resource, hash_tagger):
    tag_resource(service.store, resource, hash_tagger)
    first = tag_suggestions(service.store, resource)
    service.store.accept(first[0].id, actor="ana")
    again = tag_resource(service.store, resource, hash_tagger)
    assert again.added == 0 and again.unchanged == len(first)
    after = tag_suggestions(service.store, resource)
    assert len(after) == len(first)
    assert service.store.suggestion(first[0].id).status == "accepted"


def test_tagging_review_runs_as_a_background_job(service, resource, hash_tagger, monkeypatch):
    """adapt.jobs runs `service.tag_resource(resource_id, progress=...)` like any plugged task."""
    from adapt import jobs

    monkeypatch.setattr(service, "tagger", lambda embedder=None: hash_tagger)
    seen = []
    result = jobs.job_tasks(service)["tag"].run(service, resource, {}, lambda done, total: seen.append((done, total)))
    assert result["added"] > 0 and result["resource"] == resource
    assert seen[0] == (0, 1) and seen[-1] == (1, 1)  # the resource is one batch of the step runner
