"""Named suites on ../shared/data: their data readers, floors and (slow) real runs on a few segments."""

from __future__ import annotations

import pytest

from evaluation.named import openstax_items, read_onestop_pairs, run_named


def test_onestop_pairs_are_parsed(shared):
    adv, ele, digest = read_onestop_pairs(shared / "simplification/onestopenglish/Sentence-Aligned/ADV-ELE.txt")
    assert len(adv) == len(ele) == 2166  # the README's count
    assert adv[0].startswith("The Seattle-based company has applied")
    assert ele[0].startswith("Amazon has asked for its company name")
    assert not any(ch < " " for line in adv + ele for ch in line)
    assert len(digest) == 64


def test_openstax_items_have_gold_fields(shared):
    items, gold = openstax_items(shared)
    assert len(items) == 230  # the first chapters of the 11 shared books
    assert gold.count(["0613"]) == 116 and gold.count(["0313"]) == 16 and gold.count(["0511"]) == 7


def test_onestop_suite_runs_with_the_identity_floor(shared):
    run = run_named("onestop-simplify", limit=20, bootstrap=0, embedder=None)
    assert [s.name for s in run.systems] == ["identity"]
    identity = run.systems[0]
    assert identity.score("Compression").value == 1.0
    assert 0 < identity.score("SARI").value < 50
    assert any("only the identity floor" in n for n in run.notes)


def test_openstax_tagging_floor(shared):
    from evaluation.named import isced_gold, openstax_items

    run = run_named("openstax-tagging", bootstrap=0)
    majority = run.system("majority")
    books = isced_gold(shared)
    assert len(books) >= 11 and books["openstax-biology-2e"] == "0511"  # every shared book, from subject-gold.tsv
    items, gold = openstax_items(shared)
    assert {label[0] for label in gold} == set(books.values())
    python = sum(label == ["0613"] for label in gold)
    assert majority.score("Top-1").value == pytest.approx(100 * python / len(items))
    per_book = [n for n in run.notes if n.startswith("majority openstax-")]
    assert len(per_book) == len(books)
    assert any(n.startswith("majority macro over 11 books") for n in run.notes)


@pytest.mark.slow
def test_ntrex_en_pt_with_bergamot_beats_its_floor(shared):
    run = run_named("ntrex-en-pt", limit=20, bootstrap=100)
    bergamot, floor = run.system("bergamot"), run.system("copy-source")
    assert bergamot.score("BLEU").value > floor.score("BLEU").value + 10
    assert bergamot.score("chrF").value > floor.score("chrF").value + 15
    assert bergamot.output.signature["engine"] == "bergamot"
    assert "model:bergamot:" in bergamot.score("BLEU").signature.format()


@pytest.mark.slow
def test_ntrex_retrieval_with_e5_beats_random(shared):
    run = run_named("ntrex-retrieval", engines=["e5"], limit=30, bootstrap=0)
    assert run.system("e5").score("Recall@1").value > 80
    assert run.system("random").score("Recall@1").value < 20


@pytest.mark.slow
def test_openstax_tagging_reports_each_book_alone_and_with_its_book(shared):
    run = run_named("openstax-tagging", engines=("isced-e5",), limit=6, bootstrap=0)
    notes = [n for n in run.notes if n.startswith("isced-e5 ")]
    assert any(n.startswith("isced-e5 openstax-intro-python (6 modules, alone): top-1") for n in notes)
    with_book = [n for n in notes if "(6 modules, with its book)" in n]
    assert len(with_book) == 1 and "top-1 100%" in with_book[0]  # the first six Python modules, with the book
    assert any(n.startswith("isced-e5 macro over 1 books (with its book)") for n in notes)
