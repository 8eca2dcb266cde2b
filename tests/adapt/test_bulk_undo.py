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
    view = service.review_page(tina, rid, page_size=25)
    assert view.pages == 2
    candidates = service.bulk_accept_candidates(tina, rid, view.matching_ids)
    assert len(candidates) == view.counts.total - view.counts.flagged  # on both pages, flagged ones left out
    batch = service.bulk_accept(tina, rid, view.matching_ids)
    assert sorted(batch.suggestion_ids) == candidates
    assert all(service.suggestion(i).status == "accepted" for i in candidates)
    assert [d.action for d in service.store.decisions(candidates[0])] == ["accept"]  # one entry per row
    assert latest_batch(service.store, rid).id == batch.id

    # someone edits one row after the bulk accept: the undo keeps that
    service.store.edit(candidates[3], "Editado depois.", actor="ed")
    undone = service.undo_bulk(tina, batch.id)
    assert undone.kept == [candidates[3]] and len(undone.undone) == len(candidates) - 1
    assert all(service.suggestion(i).status == "pending" for i in undone.undone)
    assert service.suggestion(candidates[3]).current_text == "Editado depois."
    assert [d.action for d in service.store.decisions(candidates[0])] == ["accept", "undo"]
    assert latest_batch(service.store, rid) is None
    with pytest.raises(InvalidDecision, match="already undone"):
        service.undo_bulk(tina, batch.id)


def test_bulk_actions_check_roles(service, people):  # noqa: F811
    rid = seed(service)
    ids = service.review_page(people["tina"], rid).matching_ids
    with pytest.raises(PermissionDenied):
        service.bulk_accept(people["eve"], rid, ids)
    batch = service.bulk_accept(people["tina"], rid, ids)
    with pytest.raises(PermissionDenied):
        service.undo_bulk(people["eve"], batch.id)
    with pytest.raises(InvalidDecision):
        service.undo_bulk(people["tina"], 999)
