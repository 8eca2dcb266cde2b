"""Each whole OpenStax book's modules tagged to the book's ISCED-F field (real e5).

The gold labels: intro Python 0613, Psychology 0313 (detailed fields; their narrow fields are 061 and 031).
Three ~100-word chunks per module (sampled evenly) keep this to a few hundred embeddings; the
session-scoped tagger caches every vector.

The bars: no book under 60% module alone (issue 16's per-book floor), and 95% with the book as context
(its chunks and its title; issue 16's macro target, here asserted per book: both books score 100% since
round 3). The first wave asserted 80% alone on these two books, whose field descriptions it had written
for them; the descriptions of every field are now written from ISCED-F itself and hubs are corrected,
which generalises to books nobody tuned for (README, "Tagging that generalises") but drops Python alone
to ~62% (half its modules are toss-ups between computing fields) and Psychology to ~75%. Since round 4 a
toss-up is broken by the module's words (`evaluate_book` passes them, as `adapt tag` does): Python ~66%.
"""

from __future__ import annotations

import pytest

from evaluation.tagging_openstax import BOOKS, evaluate_book

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(e5_tagger):
    from tests.conftest import shared_data

    folder = shared_data() / "oer"
    return {book: evaluate_book(e5_tagger.subject, folder / book, gold) for book, gold in BOOKS.items()}


@pytest.mark.parametrize("book", sorted(BOOKS))
def test_subject_openstax_modules_alone_stay_above_the_60_percent_floor(results, book):
    r = results[book]
    assert r.modules >= 16
    assert r.alone_top1 >= 0.60, r.to_json()
    assert r.alone_narrow >= r.alone_top1


@pytest.mark.parametrize("book", sorted(BOOKS))
def test_subject_openstax_with_book_context_reach_95_percent(results, book):
    r = results[book]
    assert r.book_top1 >= 0.95, r.to_json()
    assert r.book_top3 >= r.book_top1
