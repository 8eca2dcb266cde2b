"""Bulk accept as one group: a count for the confirmation over every page, one decision logged per
row, and one undo for the whole group that never takes back a row someone decided on since."""

from __future__ import annotations

import pytest

from adapt.errors import InvalidDecision, PermissionDenied
from adapt.store.batches import latest_batch
from tests.adapt.test_review_page import people, seed  # noqa: F401  (fixture and helper)


def test_bulk_accept_counts_every_page_and_undoes_as_one_group(service, people):  # noqa: F811
    rid = seed(service, paragraphs=40)  # 41 rows: two pages of 25
    tina = people["tina"]
    view = service.session(tina).review_page(rid, page_size=25)
    assert view.pages == 2
    candidates = service.session(tina).bulk_accept_candidates(rid, view.matching_ids)
    assert len(candidates) == view.counts.total - view.counts.flagged  # on both pages, flagged ones left out
    batch = service.session(tina).bulk_accept(rid, view.matching_ids)
    assert sorted(batch.suggestion_ids) == candidates
    assert all(service.review.suggestion(i).status == "accepted" for i in candidates)
    assert [d.action for d in service.store.decisions(candidates[0])] == ["accept"]  # one entry per row
    assert latest_batch(service.store, rid).id == batch.id

    # someone edits one row after the bulk accept: the undo keeps that
    service.store.edit(candidates[3], "Editado depois.", actor="ed")
    undone = service.session(tina).undo_bulk(batch.id)
    assert undone.kept == [candidates[3]] and len(undone.undone) == len(candidates) - 1
    assert all(service.review.suggestion(i).status == "pending" for i in undone.undone)
    assert service.review.suggestion(candidates[3]).current_text == "Editado depois."
    assert [d.action for d in service.store.decisions(candidates[0])] == ["accept", "undo"]
    assert latest_batch(service.store, rid) is None
    with pytest.raises(InvalidDecision, match="already undone"):
        service.session(tina).undo_bulk(batch.id)


def test_bulk_actions_check_roles(service, people):  # noqa: F811
    rid = seed(service)
    ids = service.session(people["tina"]).review_page(rid).matching_ids
    with pytest.raises(PermissionDenied):
        service.session(people["eve"]).bulk_accept(rid, ids)
    batch = service.session(people["tina"]).bulk_accept(rid, ids)
    with pytest.raises(PermissionDenied):
        service.session(people["eve"]).undo_bulk(batch.id)
    with pytest.raises(InvalidDecision):
        service.session(people["tina"]).undo_bulk(999)
