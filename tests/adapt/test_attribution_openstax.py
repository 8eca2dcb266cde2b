"""Exporting an OpenStax module after review: the attribution names the book the module inherits its
metadata from, never invents the authors the source does not state, and the changes statement matches
the review log exactly. Real CNXML reader, real SQLite; the translator is the small fake where the test
is about the statements, and the real Bergamot model in the slow test."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from adapt.attribution import attribution_jsonld
from tests.adapt.licensing_support import install_fake

CNXML = "{http://cnx.rice.edu/cnxml}"
BOOKS = {
    # folder, module, module title, book title (from the collection file), book uuid
    "psychology": ("openstax-psychology-2e", "m82169", "Analyzing Findings", "Psychology 2e",
                   "06aba565-9432-40f6-97ee-b8a361f118a8"),
    "python": ("openstax-intro-python", "m00002", None, "Introduction to Python Programming",
               "8d08a72f-5463-4856-b05c-58b0d65f5e61"),
}
PSYCH_AUTHORS = ("Rose M. Spielman", "William J. Jenkins", "Marilyn D. Lovett")
BY = "licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
BY_PT = "licenciada sob CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"  # a pt export's notes are Portuguese


def _module(shared, book):
    folder, module, *_ = BOOKS[book]
    return shared / "oer" / folder / "modules" / module / "index.cnxml"


def _notes(path) -> list[str]:
    root = etree.parse(str(path)).getroot()  # the export is well-formed CNXML
    note = root.find(f".//{CNXML}note[@id='adapt-notice']")
    assert note is not None, "the export has no attribution note"
    return [" ".join("".join(p.itertext()).split()) for p in note.iter(f"{CNXML}para")]


def _review(service, rid):
    """Two reviewers; one decision undone (so its maker did not review anything that stands)."""
    rows = service.review.suggestions(rid)
    assert len(rows) > 10
    edited, rejected, undone = rows[0], rows[1], rows[3]  # rows[2] stays pending
    service.review.edit(edited.id, edited.text + " (revisto)", actor="rui")
    service.review.reject([rejected.id], actor="rui")
    service.review.accept([undone.id], actor="eve")
    service.review.undo(undone.id, actor="eve")
    rest = [r.id for r in rows[4:]]
    service.review.accept(rest, actor="ana")
    return {"accepted": len(rest), "edited": 1, "rejected": 1, "pending": 2, "total": len(rows)}


@pytest.mark.parametrize("book", sorted(BOOKS))
def test_openstax_module_export_attribution_and_changes(service, shared, tmp_path, book):
    install_fake(service)
    _, module, module_title, book_title, uuid = BOOKS[book]
    summary = service.translate_file(_module(shared, book), target="pt", owner="ana")
    rid = summary.resource_id
    res = service.resource(rid)
    assert (res.format, res.license, res.language) == ("cnxml", "CC-BY-4.0", "en")
    assert res.metadata["license_detection"]["source"] == "book:license_url"  # the collection file states it
    counts = _review(service, rid)
    out = tmp_path / "index.cnxml"
    result = service.export(rid, out)
    source, changes, licence = _notes(out)

    title = module_title or res.metadata["title"]
    assert source == f"Fonte: “{title}”, de “{book_title}”, a fonte não indica o autor, " \
                     f"a fonte não indica o endereço, {BY_PT}."
    assert result.export.plan.metadata["attribution"] == (f"Source: “{title}”, from “{book_title}”, author not "
                                                          f"stated in the source, source URL not stated in the source, "
                                                          f"{BY}.")
    n = counts["total"]
    pct = lambda k: f"{counts[k] / n:.0%}"  # noqa: E731
    assert changes.startswith("Alterações: tradução do inglês para o português. Todas as alterações partiram de "
                              "sugestões automáticas. Revisão de ana e rui. ")  # not eve: her only decision was undone
    assert (f"Dos {n} segmentos com sugestões automáticas: {counts['accepted']} ({pct('accepted')}) aceites sem "
            f"alterações, 1 ({pct('edited')}) editados por um revisor, 1 ({pct('rejected')}) rejeitados, 2 "
            f"({pct('pending')}) por rever; os rejeitados e os não revistos ficam como na fonte.") in changes
    assert "fake-en-pt" not in changes  # model ids stay in the metadata
    assert result.export.plan.metadata["changes"].startswith(
        "Changes made: translated from en to pt with fake fake-en-pt 1.0. Reviewed by ana and rui. ")
    assert licence == "Esta adaptação está licenciada sob CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)."
    stats = result.export.stats
    assert (stats.accepted, stats.edited) == (counts["accepted"], counts["edited"])  # the export agrees
    assert result.to_json()["license"] == "CC-BY-4.0"

    jsonld = attribution_jsonld(service.store, rid)
    assert jsonld["isBasedOn"]["isPartOf"] == {"@type": "Book", "name": book_title, "identifier": uuid}
    assert jsonld["isBasedOn"]["license"] == jsonld["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "author" not in jsonld and "author" not in jsonld["isBasedOn"]  # never invented
    assert {c["name"] for c in jsonld["contributor"]} == {"ana", "rui", "fake fake-en-pt 1.0"}


def test_authors_supplied_by_the_user_are_said_to_be_supplied(service, shared, tmp_path):
    install_fake(service)
    rid = service.translate_file(_module(shared, "psychology"), target="pt", owner="ana",
                                 authors=PSYCH_AUTHORS).resource_id
    service.licences.set_source_url(rid, "https://openstax.org/details/books/psychology-2e", actor="ana")
    service.review.accept_all(rid, actor="ana")
    out = tmp_path / "index.cnxml"
    service.export(rid, out)
    source = _notes(out)[0]
    assert source == ("Fonte: “Analyzing Findings”, de “Psychology 2e”, de Rose M. Spielman, William J. Jenkins "
                      "e Marilyn D. Lovett (indicado por ana; a fonte não o indica), "
                      "https://openstax.org/details/books/psychology-2e (indicado por ana), " + BY_PT + ".")
    jsonld = attribution_jsonld(service.store, rid)
    assert [a["name"] for a in jsonld["author"]] == list(PSYCH_AUTHORS)
    assert jsonld["isBasedOn"]["url"] == "https://openstax.org/details/books/psychology-2e"


def test_credits_in_captions_are_recorded_and_stay_adaptable_under_the_books_licence(service, shared):
    rid = service.import_file(_module(shared, "psychology")).resource_id
    elements = service.licences.report(rid)["elements"]
    credits = {e["credit"]: e for e in elements}
    assert credits["Cory Zanker"]["adaptable"] and credits["Cory Zanker"]["license"] is None


def test_export_with_nothing_reviewed_and_unreviewed_included_says_so(service, shared, tmp_path):
    install_fake(service)
    rid = service.translate_file(_module(shared, "python"), target="pt").resource_id
    out = tmp_path / "draft.cnxml"
    service.export(rid, out, include_unreviewed=True)
    notes = " ".join(_notes(out))
    assert "Ninguém reviu o texto." in notes
    assert re.search(r"\d+ \(100%\) incluídos sem revisão \(marcados com ⚠\)", notes)


@pytest.mark.slow
def test_real_bergamot_changes_statement_names_the_model(service, shared, tmp_path):
    path = shared / "oer" / "openstax-psychology-2e" / "modules" / "m82171" / "index.cnxml"
    rid = service.translate_file(path, target="pt", owner="ana").resource_id
    signature = service.review.suggestions(rid)[0].model_signature
    service.review.accept_all(rid, actor="ana")
    out = tmp_path / "index.cnxml"
    result = service.export(rid, out)
    changes = _notes(out)[1]
    metadata = result.export.plan.metadata["changes"]  # the model is named in the metadata, not the notes
    assert f"translated from en to pt with bergamot {signature['model']} {signature['version']}." in metadata
    assert signature["model"] not in changes and "bergamot" not in changes
    assert "Revisão de ana." in changes and "aceites sem alterações" in changes
