"""The book as context: its own ranking (chunk mean + its title's score) added to the module's with the
context weight (README "Tagging that generalises", round 3). Unit tests use the hash embedder; the last
two use real e5 through the service (`adapt tag --context BOOK` reads the book's title) and are slow."""

from __future__ import annotations

import numpy as np
import pytest

from adapt.tagging.subject import CONTEXT_WEIGHT, SubjectTagger
from tests.adapt.tagging.conftest import HashEmbedder


@pytest.fixture
def tagger() -> SubjectTagger:
    return SubjectTagger(HashEmbedder())


def test_subject_context_scores_sum_chunk_mean_and_title(tagger):
    chunks, title = tagger.embed_context(["Markets, prices and supply and demand. " * 20], "History of empires")
    assert chunks is not None and title is not None and title.shape == (384,)
    both = tagger.context_scores(chunks, title)
    alone = tagger.field_scores(chunks)
    titled = tagger.field_scores(title[None])
    assert both is not None
    for code in ("0311", "0222"):
        assert both[code] == pytest.approx(alone[code] + titled[code], abs=1e-6)


def test_subject_context_missing_parts(tagger):
    assert tagger.context_scores(None, None) is None
    assert tagger.context_scores(np.zeros((0, 384), dtype=np.float32), None) is None
    chunks, title = tagger.embed_context(None, "   ")
    assert chunks is None and title is None  # a blank title is no evidence
    _, title = tagger.embed_context(None, "Economics")
    only_title = tagger.context_scores(None, title)
    assert only_title == tagger.field_scores(title[None])


def test_subject_context_title_steers_the_ranking_with_the_context_weight(tagger):
    module = tagger.embed(["Economics: markets, supply and demand, prices, money, inflation and trade."])
    alone = tagger.rank(module, top_k=80)
    _, title = tagger.embed_context(None, "History and archaeology: the study of past events, wars, empires")
    steered = tagger.rank(module, context_title_vector=title, top_k=80)
    context = tagger.context_scores(None, title)
    assert context is not None
    expected = {t.code: t.score + CONTEXT_WEIGHT * context[t.code] for t in alone}
    assert {t.code: t.score for t in steered} == pytest.approx(expected, abs=1e-5)
    assert [t.code for t in steered].index("0222") < [t.code for t in alone].index("0222")
    assert steered[0].code == "0222"


@pytest.mark.slow
def test_subject_context_history_module_with_its_book_through_the_service(service, shared):
    """U.S. History's 'Europe on the Brink of Change' (trade and exploration) leans to economics on its
    own chapter's text; with the book (its text and its title, read by the service) it is history."""
    from adapt.settings import apply_offline_environment

    apply_offline_environment()
    book = shared / "oer" / "openstax-us-history"
    run = service.tag_file(book / "modules" / "m49968" / "index.cnxml", context=book)
    codes = [s.code for s in run.tags.subjects]
    assert codes[0] == "0222", codes


@pytest.mark.slow
def test_subject_context_physics_module_with_its_book_title_only(e5_tagger):
    """'Dimensional Analysis' reads as mathematics alone; the title 'University Physics Volume 1' alone
    (no book text) is enough context to put physics first."""
    from evaluation.openstax import book_title, read_book
    from tests.conftest import shared_data

    folder = shared_data() / "oer" / "openstax-university-physics-vol1"
    module = next(m for m in read_book(folder) if m.module_id == "m58272")
    title = book_title(folder)
    assert title == "University Physics Volume 1"
    tags = e5_tagger.tag_texts(module.texts(), title=module.title, context_title=title).subjects
    assert tags[0].code == "0533", [t.text for t in tags]


def test_subject_context_book_title_reads_the_collection_metadata(tmp_path):
    from evaluation.openstax import book_title

    assert book_title(tmp_path) is None  # no collections folder
    (tmp_path / "collections").mkdir()
    assert book_title(tmp_path) is None  # no collection file
    col = tmp_path / "collections" / "book.collection.xml"
    col.write_text('<col:collection xmlns:col="http://cnx.rice.edu/collxml" xmlns:md="http://cnx.rice.edu/mdml">'
                   "<col:metadata><md:title>  </md:title></col:metadata></col:collection>", encoding="utf-8")
    assert book_title(tmp_path) is None  # a blank title
    col.write_text("<col:collection><md:title>Unclosed", encoding="utf-8")
    assert book_title(tmp_path) is None  # broken XML
    col.write_text('<col:collection xmlns:col="http://cnx.rice.edu/collxml" xmlns:md="http://cnx.rice.edu/mdml">'
                   "<col:metadata><md:title>U.S.\n  History</md:title></col:metadata></col:collection>",
                   encoding="utf-8")
    assert book_title(tmp_path) == "U.S. History"
