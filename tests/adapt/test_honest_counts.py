"""Issue 14, defect 9: what the checks refused is not "reviewed", accepted unchanged is, and the export's
stats name only what no person has decided; a decision someone else replaced is read from the log."""

from __future__ import annotations

import pytest

from adapt.formats import parse_stored
from adapt.review import REFUSED, ReviewFilter, overruled
from adapt.simplify import GUARD_ACTOR
from adapt.store import Decision, NewSuggestion


@pytest.fixture
def people(service):
    for name, role in (("tina", "teacher"), ("ed", "editor")):
        service.people.add(name, role, "password-1")
    return {u.name: u for u in service.people.list()}


def seed(service, refused: tuple[int, ...] = (1, 3)) -> tuple[int, list[int]]:
    """Five English paragraphs, each simplified; the guard refused the simplifications at `refused`."""
    text = "# Lesson\n\n" + "\n\n".join(f"Paragraph number {i} says something rather long here." for i in range(4))
    data = (text + "\n").encode()
    doc = parse_stored("markdown", "lesson.md", data)
    rid = service.import_document(doc, data, language="en", license="CC-BY-4.0", owner="tina").resource_id
    new = [NewSuggestion(rid, seg.id, "simplify", "en", seg.source_text, f"Short {seg.position}.", {"model": "rules"},
                         rejected_by=GUARD_ACTOR if seg.position in refused else None)
           for seg in service.store.segments(rid)]
    ids = [i for i in service.store.add_suggestions(new) if i is not None]
    return rid, ids


def test_refused_by_the_checks_is_not_reviewed_before_a_person_acts(service, people):
    rid, ids = seed(service)
    session = service.session(people["tina"])
    counts = session.review_page(rid).counts
    assert (counts.total, counts.reviewed, counts.refused_by_checks, counts.undecided) == (5, 0, 2, 5)
    assert counts.by_status["rejected"] == 0 and counts.by_status["pending"] == 3
    assert session.review_page(rid, ReviewFilter(status=REFUSED)).matching == 2
    assert session.review_page(rid, ReviewFilter(status="reviewed")).matching == 0
    assert session.review_page(rid, ReviewFilter(status="rejected")).matching == 0

    # A person's decision on a refused row makes it reviewed: here confirming the refusal.
    refused = session.review_page(rid, ReviewFilter(status=REFUSED)).rows[0]
    session.decide(refused.id, "reject", expected_version=None)  # already rejected: a person says so too
    counts = session.review_page(rid).counts
    assert (counts.reviewed, counts.refused_by_checks, counts.by_status["rejected"]) == (1, 1, 1)
    # Accepting the other refused one (the reviewer disagrees with the guard) is reviewed as well.
    other = session.review_page(rid, ReviewFilter(status=REFUSED)).rows[0]
    session.decide(other.id, "accept", expected_version=other.version)
    counts = session.review_page(rid).counts
    assert (counts.reviewed, counts.refused_by_checks, counts.by_status["accepted"]) == (2, 0, 1)


def test_export_stats_name_only_what_no_person_decided(service, people):
    rid, ids = seed(service)
    session = service.session(people["tina"])
    stats = service.plan_export(rid, target_language="en").stats
    assert (stats.undecided, stats.refused_by_checks) == (5, 2)
    for s in session.review_page(rid, ReviewFilter(status="pending")).rows:
        session.decide(s.id, "accept", expected_version=s.version)
    stats = service.plan_export(rid, target_language="en").stats
    # Accepted unchanged is decided: machine output, yet nothing is left for a reviewer except the refusals.
    assert (stats.accepted, stats.edited, stats.untouched) == (3, 0, 2)
    assert (stats.undecided, stats.refused_by_checks) == (2, 2)
    for s in session.review_page(rid, ReviewFilter(status=REFUSED)).rows:
        session.decide(s.id, "reject", expected_version=s.version)
    stats = service.plan_export(rid, target_language="en").stats
    assert (stats.undecided, stats.refused_by_checks) == (0, 0)
    assert stats.to_json()["undecided"] == 0


def _log(*steps: tuple[str, str, str | None]) -> list[Decision]:
    return [Decision(i, 1, action, text, actor, f"2026-12-05T08:0{i}:00") for i, (actor, action, text) in
            enumerate(steps)]


def test_overruled_reads_another_persons_replaced_decision_from_the_log():
    assert overruled(_log(("tina", "edit", "A"), ("ed", "edit", "B"))).earlier_text == "A"
    found = overruled(_log(("tina", "accept", None), ("ed", "reject", None)))
    assert (found.earlier_actor, found.earlier_action, found.later_actor, found.later_action) == (
        "tina", "accept", "ed", "reject")
    assert overruled(_log(("tina", "accept", None), ("ed", "undo", None))).later_action == "undo"
    assert overruled(_log(("tina", "edit", "A"), ("ed", "accept", "A"))) is None  # confirms her edit
    assert overruled(_log(("tina", "edit", "A"), ("tina", "edit", "B"))) is None  # her own change
    assert overruled(_log((GUARD_ACTOR, "reject", None), ("tina", "accept", None))) is None  # the checks
    assert overruled(_log(("tina", "accept", None))) is None


def test_review_page_carries_the_overruled_rows(service, people):
    rid, ids = seed(service, refused=())
    tina, ed = service.session(people["tina"]), service.session(people["ed"])
    tina.decide(ids[0], "edit", expected_version=None, text="Tina's text.")
    ed.decide(ids[0], "reject", expected_version=None)
    tina.decide(ids[1], "edit", expected_version=None, text="Agreed text.")
    ed.decide(ids[1], "accept", expected_version=None)
    view = tina.review_page(rid)
    assert set(view.overruled) == {ids[0]}
    assert view.overruled[ids[0]].earlier_text == "Tina's text." and view.overruled[ids[0]].later_actor == "ed"
