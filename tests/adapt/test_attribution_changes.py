"""The "changes made" statement is generated from the review log and says only what happened; the TASL
statement says what the source states and nothing more. Real store, suggestions as the steps store them."""

from __future__ import annotations

import pytest

from adapt.attribution import attribution, attribution_jsonld, changes_report, describe_model
from adapt.store import NewSuggestion
from tests.adapt.licensing_support import write_lesson

BERGAMOT = {"engine": "bergamot", "model": "en-pt-tiny", "version": "2.0", "settings": {"api": "native"}}
SIMPLIFIER = {"engine": "smollm2", "model": "SmolLM2-360M-Instruct", "version": "1", "settings": {"target_grade": 6.0}}
TAGGER = {"engine": "minilm", "model": "all-MiniLM-L6-v2", "version": "", "settings": {}}


@pytest.fixture
def lesson(service, tmp_path):
    rid = service.import_file(write_lesson(tmp_path), language="en", license="CC-BY-SA-4.0").resource_id
    return rid, [r for r in service.store.segments(rid) if r.translatable]


def _suggest(service, rid, records, task="translate", target="pt", signature=BERGAMOT, origin="model"):
    return service.store.add_suggestions([
        NewSuggestion(rid, r.id, task, target, r.source_text, f"{task}: {r.source_text}", signature, origin=origin)
        for r in records
    ])


def test_nothing_reviewed_means_no_changes(service, lesson):
    rid, records = lesson
    _suggest(service, rid, records)
    report = changes_report(service.store, rid)
    assert report.text().startswith("Changes made: none; the text is as in the source. Machine suggestions were "
                                    f"made for {len(records)} segment(s): 0 rejected and {len(records)} not reviewed.")
    assert report.target_language is None


def test_all_rejected_is_not_a_translation(service, lesson):
    rid, records = lesson
    ids = _suggest(service, rid, records)
    service.review.reject(ids, actor="rui")
    text = changes_report(service.store, rid).text()
    assert "translated" not in text and f"{len(records)} rejected" in text


def test_translation_simplification_tags_models_and_reviewers(service, lesson):
    rid, records = lesson
    t = _suggest(service, rid, records[:3])
    s = _suggest(service, rid, records[3:4], task="simplify", target="pt", signature=SIMPLIFIER)
    memory = _suggest(service, rid, records[4:5], origin="memory", signature={"engine": "memory", "model": "tm"})
    [tag] = service.store.add_suggestions([NewSuggestion(rid, None, "tag:subject", None, "", "Biology", TAGGER)])
    [tag2] = service.store.add_suggestions([NewSuggestion(rid, None, "tag:level", None, "", "Grade 6", TAGGER)])
    service.review.accept(t[:2], actor="ana")
    service.review.edit(t[2], "Editado à mão.", actor="rui")
    service.review.accept(s, actor="rui")
    service.review.accept(memory, actor="ana")
    service.review.accept([tag], actor="eve")
    service.review.reject([tag2], actor="eve")
    report = changes_report(service.store, rid, target_language="pt")
    [translate, simplify] = report.tasks
    assert (translate.segments, translate.detail) == (4, "from en to pt")
    assert translate.models == ("bergamot en-pt-tiny 2.0", "translation memory")
    assert (simplify.detail, simplify.models) == ("to grade 6", ("smollm2 SmolLM2-360M-Instruct 1",))
    assert report.tags == ("subject",)  # the rejected level tag was not added
    assert report.reviewers == ("ana", "eve", "rui")
    assert (report.accepted, report.edited, report.rejected, report.pending) == (4, 1, 0, 0)
    text = report.text()
    assert text.startswith("Changes made: translated from en to pt with bergamot en-pt-tiny 2.0 and translation "
                           "memory, simplified to grade 6 with smollm2 SmolLM2-360M-Instruct 1 and tags added "
                           "(subject) with minilm all-MiniLM-L6-v2. Reviewed by ana, eve and rui. Of 5 segments "
                           "with machine suggestions: 4 (80%) accepted unchanged, 1 (20%) edited by a reviewer, "
                           "0 (0%) rejected; rejected ones are left as in the source.")


def test_undone_decisions_do_not_count(service, lesson):
    rid, records = lesson
    ids = _suggest(service, rid, records[:2])
    service.review.accept([ids[0]], actor="eve")
    service.review.undo(ids[0], actor="eve")
    service.review.accept([ids[1]], actor="ana")
    service.review.edit(ids[1], "Outra.", actor="rui")
    service.review.undo(ids[1], actor="rui")  # back to ana's accept
    report = changes_report(service.store, rid)
    assert report.reviewers == ("ana",)
    assert (report.accepted, report.edited, report.pending) == (1, 0, 1)


def test_unreviewed_output_is_said_when_included(service, lesson):
    rid, records = lesson
    _suggest(service, rid, records)
    report = changes_report(service.store, rid, include_unreviewed=True)
    assert report.unreviewed == len(records) and "Not reviewed by anyone." in report.text()
    assert f"{len(records)} (100%) included unreviewed (marked ⚠)" in report.text()


def test_share_alike_source_forces_and_says_the_licence(service, lesson):
    rid, records = lesson
    service.review.accept(_suggest(service, rid, records), actor="ana")
    att = attribution(service.store, rid)
    notices = att.notices()
    assert notices[2] == ("This adaptation is licensed under CC BY-SA 4.0 "
                          "(https://creativecommons.org/licenses/by-sa/4.0/) (required by the source's share-alike "
                          "licence).")
    assert notices[3].startswith("Share-alike: the source is licensed under CC BY-SA 4.0")


@pytest.mark.parametrize(("license_id", "said"), [
    ("CC-BY-NC-4.0", "licensed under CC BY-NC 4.0 (https://creativecommons.org/licenses/by-nc/4.0/)"),
    ("CC0-1.0", "licensed under CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/)"),
    ("PDM-1.0", "marked as public domain (https://creativecommons.org/publicdomain/mark/1.0/)"),
    ("ARR", "all rights reserved"),
    (None, "licence not stated in the source"),
])
def test_source_statement_per_licence(service, tmp_path, license_id, said):
    rid = service.import_file(write_lesson(tmp_path), license=license_id).resource_id
    text = attribution(service.store, rid).source.text()
    assert text == f"Source: “Photosynthesis”, author not stated in the source, source URL not stated in the " \
                   f"source, {said}."


def test_source_authors_and_url_from_the_format_are_used_as_stated(service, tmp_path):
    from adapt.formats import read_document

    path = write_lesson(tmp_path)
    document, data = read_document(path, max_bytes=1_000_000)
    document.metadata.update({"authors": ["Ada Lovelace", {"name": "Mary Somerville"}],
                              "source_url": "https://example.org/photosynthesis",
                              "license_url": "https://creativecommons.org/licenses/by/4.0/"})
    rid = service.import_document(document, data).resource_id
    service.licences.set_authors(rid, ["Someone Else"], actor="ana")  # the source's own authors win
    credit = attribution(service.store, rid).source
    assert credit.text() == ("Source: “Photosynthesis”, by Ada Lovelace and Mary Somerville, "
                             "https://example.org/photosynthesis, licensed under CC BY 4.0 "
                             "(https://creativecommons.org/licenses/by/4.0/).")
    jsonld = attribution_jsonld(service.store, rid)
    assert jsonld["isBasedOn"]["url"] == "https://example.org/photosynthesis"
    assert [a["name"] for a in jsonld["author"]] == ["Ada Lovelace", "Mary Somerville"]


def test_bad_source_url_is_refused(service, tmp_path):
    from adapt.errors import UserError

    rid = service.import_file(write_lesson(tmp_path)).resource_id
    for bad in ("javascript:alert(1)", "not a url", "https://exa mple.org", "ftp://x"):
        with pytest.raises(UserError):
            service.licences.set_source_url(rid, bad, actor="ana")


def test_jsonld_of_an_unknown_unadapted_resource_claims_nothing(service, tmp_path):
    rid = service.import_file(write_lesson(tmp_path)).resource_id
    jsonld = attribution_jsonld(service.store, rid)
    assert "license" not in jsonld and "license" not in jsonld["isBasedOn"]
    assert "author" not in jsonld and "contributor" not in jsonld


@pytest.mark.parametrize(("signature", "origin", "said"), [
    ({"engine": "bergamot", "model": "en-pt-tiny", "version": "2.0"}, "model", "bergamot en-pt-tiny 2.0"),
    ({"engine": "rules", "model": "rules"}, "model", "rules"),
    ({}, "model", "an unnamed model"),
    ({"engine": "memory"}, "memory", "translation memory"),
])
def test_describe_model(signature, origin, said):
    assert describe_model(signature, origin) == said


def test_automatic_guard_rejections_are_counted_but_nobody_is_named_for_them(service, lesson):
    rid, records = lesson
    ids = _suggest(service, rid, records[:3], task="simplify", target="en", signature=SIMPLIFIER)
    service.store.reject(ids[0], actor="guard")  # what adapt.simplify does with output failing its guards
    service.review.accept(ids[1:], actor="ana")
    report = changes_report(service.store, rid)
    assert report.reviewers == ("ana",)
    assert (report.rejected, report.rejected_automatically) == (1, 1)
    assert "1 (33%) rejected (1 of them by automatic checks)" in report.text()
    assert "simplified to grade 6 with smollm2" in report.text()
