"""The review view: filters, pages, counts, decisions with roles and versions checked."""

from __future__ import annotations

import pytest

from adapt.errors import ConflictError, InvalidDecision, PermissionDenied, UnknownResource
from adapt.formats import parse_stored
from adapt.review import FLAG_FLAGGED, FLAG_NONE, ReviewFilter
from adapt.store import NewSuggestion


def seed(service, owner: str = "tina", paragraphs: int = 12) -> int:
    text = "# Lesson\n\n" + "\n\n".join(f"Paragraph number {i} is here." for i in range(paragraphs)) + "\n"
    data = text.encode()
    doc = parse_stored("markdown", "lesson.md", data)
    rid = service.import_document(doc, data, language="en", license="CC-BY-4.0", owner=owner).resource_id
    new = []
    for seg in service.store.segments(rid):
        flags = [{"code": "number-missing", "message": "numbers lost"}] if seg.position % 3 == 1 else []
        new.append(NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text, f"PT {seg.source_text}",
                                 {"model": "test"}, qa_flags=flags))
    service.store.add_suggestions(new)
    return rid


@pytest.fixture
def people(service):
    for name, role in (("tina", "teacher"), ("tom", "teacher"), ("ed", "editor"), ("eve", "evaluator")):
        service.add_user(name, role, "password-1")
    return {u.name: u for u in service.users()}


def test_review_page_paginates_and_counts(service, people):
    rid = seed(service)
    view = service.review_page(people["tina"], rid, page=2, page_size=5)
    assert (view.page, view.pages, view.matching, len(view.rows)) == (2, 3, 13, 5)
    assert [s.position for s in view.rows] == [5, 6, 7, 8, 9]
    assert service.review_page(people["tina"], rid, page=99, page_size=5).page == 3  # clamped
    assert view.counts.total == 13 and view.counts.reviewed == 0 and view.counts.flagged == 4
    assert view.flag_codes == ["number-missing"] and view.languages == ["pt"]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (ReviewFilter(), 13),
        (ReviewFilter(flag=FLAG_FLAGGED), 4),
        (ReviewFilter(flag=FLAG_NONE), 9),
        (ReviewFilter(flag="number-missing"), 4),
        (ReviewFilter(flag="no-such-flag"), 0),
        (ReviewFilter(status="pending"), 12),
        (ReviewFilter(status="reviewed"), 1),
        (ReviewFilter(status="accepted"), 1),
        (ReviewFilter(status="rejected"), 0),
        (ReviewFilter(target_language="es"), 0),
    ],
)
def test_review_page_filters(service, people, flt, expected):
    rid = seed(service)
    first = service.review_page(people["ed"], rid).rows[0]
    service.decide(people["ed"], first.id, "accept", expected_version=0)
    assert service.review_page(people["ed"], rid, flt, page_size=100).matching == expected


def test_review_bulk_accepts_only_unflagged_in_the_view(service, people):
    rid = seed(service)
    view = service.review_page(people["ed"], rid, ReviewFilter(), page=1, page_size=100)
    some = view.matching_ids[:6]
    done = service.accept_unflagged(people["ed"], rid, some)
    assert len(done) == 4 and set(done) <= set(some)
    assert all(not service.suggestion(i).qa_flags for i in done)
    assert {d.actor for d in service.store.decisions_for_resource(rid)} == {"ed"}


def test_review_decide_records_actor_and_detects_conflicts(service, people):
    rid = seed(service)
    s = service.review_page(people["tina"], rid).rows[1]
    edited = service.decide(people["tina"], s.id, "edit", expected_version=s.version, text="Mine")
    with pytest.raises(ConflictError, match="changed by tina"):
        service.decide(people["ed"], s.id, "reject", expected_version=s.version)
    assert service.suggestion(s.id).final_text == "Mine"
    service.decide(people["ed"], s.id, "undo", expected_version=edited.version)
    assert service.suggestion(s.id).status == "pending"
    assert [(d.action, d.actor) for d in service.history(people["ed"], s.id)] == [("edit", "tina"), ("undo", "ed")]
    with pytest.raises(InvalidDecision):
        service.decide(people["ed"], s.id, "explode", expected_version=None)
    with pytest.raises(InvalidDecision):
        service.decide(people["ed"], s.id, "edit", expected_version=None, text="   ")


def test_review_roles_are_enforced_by_the_service(service, people):
    rid = seed(service, owner="tina")
    s = service.review_page(people["ed"], rid).rows[0]
    with pytest.raises(PermissionDenied):
        service.decide(people["eve"], s.id, "accept", expected_version=None)
    with pytest.raises(UnknownResource):
        service.decide(people["tom"], s.id, "accept", expected_version=None)
    with pytest.raises(UnknownResource):
        service.review_page(people["tom"], rid)
    with pytest.raises(PermissionDenied):
        service.accept_unflagged(people["eve"], rid, [s.id])
    assert [r.id for r in service.visible_resources(people["tom"])] == []
    assert [r.id for r in service.visible_resources(people["eve"])] == [rid]
    assert service.review_page(people["eve"], rid).counts.total == 13  # evaluators read everything


def test_review_preview_is_sanitized_and_follows_decisions(service, people):
    rid = seed(service, paragraphs=2)
    rows = service.review_page(people["ed"], rid).rows
    assert "PT" not in service.preview_html(people["ed"], rid)  # nothing reviewed: the source
    service.decide(people["ed"], rows[1].id, "accept", expected_version=0)
    html = service.preview_html(people["ed"], rid)
    assert "<p>PT Paragraph number 0 is here.</p>" in html
    assert "⚠" in service.preview_html(people["ed"], rid, include_unreviewed=True)


def test_review_upload_size_limit_and_roles(service, people, tmp_path):
    from adapt.errors import FileTooLarge

    big = tmp_path / "big.md"
    big.write_text("# Big\n\n" + "word " * 5000, encoding="utf-8")
    with pytest.raises(FileTooLarge):
        service.import_upload(people["tina"], big, max_bytes=1024)
    with pytest.raises(PermissionDenied):
        service.import_upload(people["eve"], big)
    result = service.import_upload(people["tina"], big)
    assert service.resource(result.resource_id).owner == "tina"
    # The same bytes uploaded by another teacher are not handed over to them.
    with pytest.raises(PermissionDenied, match="already imported"):
        service.import_upload(people["tom"], big)


def test_review_related_on_an_empty_catalogue_says_so_and_checks_the_role(service, people):
    rid = seed(service)
    assert service.related_resources(people["tina"], rid) == {"catalogue_items": 0, "results": []}
    sid = service.suggestions(rid)[0].id
    assert service.segment_related(people["tina"], sid) == {"catalogue_items": 0, "results": []}
    for ask in (lambda: service.related_resources(people["tom"], rid),
                lambda: service.segment_related(people["tom"], sid)):
        with pytest.raises(UnknownResource):
            ask()

def test_review_related_keeps_results_as_reviewable_suggestions(service, people, tmp_path):
    rid = seed(service)
    assert service.review_related(people["tina"], rid) == []  # empty catalogue: nothing searched, nothing kept
    doc = tmp_path / "cells.md"
    doc.write_text("# Cells\n\nA cell is the smallest unit of life. Cells have a membrane and a nucleus.\n",
                   encoding="utf-8")
    service.catalog_add([doc], license="CC-BY-4.0", language="en")
    assert service.review_related(people["eve"], rid) == []  # a reader stores nothing
    kept = service.review_related(people["tina"], rid)
    assert len(kept) == 1 and kept[0].task == "related" and kept[0].segment_id is None
    assert kept[0].text.startswith("Cells <") and kept[0].scores["license"] == "CC-BY-4.0"
    assert kept[0].model_signature["engine"]
    service.decide(people["tina"], kept[0].id, "accept", expected_version=kept[0].version)
    again = service.review_related(people["tina"], rid)  # searching again adds nothing twice
    assert [(s.id, s.status) for s in again] == [(kept[0].id, "accepted")]
    with pytest.raises(UnknownResource):
        service.review_related(people["tom"], rid)


def test_review_edit_warnings_name_what_an_edit_lost(service, people):
    from adapt.review import edit_warnings

    data = b"# T\n\nRead **this** in 3 minutes.\n"
    rid = service.import_document(parse_stored("markdown", "t.md", data), data, owner="ed").resource_id
    seg = [s for s in service.store.segments(rid) if s.position == 1][0]
    sid = service.store.add_suggestions([NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text,
                                                       "Leia [1]isto[/1] em 3 minutos.", {"model": "t"})])[0]
    assert seg.source_text == "Read [1]this[/1] in 3 minutes."
    kept = service.decide(people["ed"], sid, "edit", expected_version=0, text="Leia [1]isso[/1] em 3 minutos.")
    assert edit_warnings(kept) == []
    lost = service.decide(people["ed"], sid, "edit", expected_version=kept.version, text="Leia isso em minutos.")
    warnings = edit_warnings(lost)
    assert any("[1]" in w for w in warnings) and any("3" in w for w in warnings)
    assert service.suggestion(sid).final_text == "Leia isso em minutos."  # said, never blocked


def test_review_metadata_for_writes_accepted_tags_and_checks_who_can_see(service, people, tmp_path):
    import json

    rid = seed(service)
    ids = service.store.add_suggestions([
        NewSuggestion(rid, None, "tag:keyword", None, "resource", "photosynthesis", {"model": "test"},
                      scores={"score": 0.5}),
        NewSuggestion(rid, None, "tag:keyword", None, "resource", "volcano", {"model": "test"}, scores={"score": 0.4}),
    ])
    tags = {s.text: s for s in service.resource_suggestions(people["tina"], rid)}
    service.decide(people["tina"], ids[0], "accept", expected_version=tags["photosynthesis"].version)
    service.decide(people["tina"], ids[1], "reject", expected_version=tags["volcano"].version)
    # An evaluator reads everything, the metadata too (as the file export allows); another teacher does not.
    out = tmp_path / "lesson.jsonld"
    doc = service.metadata_for(people["eve"], rid, out, target_language="pt")
    assert json.loads(out.read_text(encoding="utf-8")) == doc
    assert "photosynthesis" in json.dumps(doc["keywords"]) and "volcano" not in json.dumps(doc)
    with pytest.raises(UnknownResource):
        service.metadata_for(people["tom"], rid, tmp_path / "no.jsonld")
    assert not (tmp_path / "no.jsonld").exists()
    # A tag is about the whole resource: it has no segment to find related items for.
    from adapt.errors import UserError

    with pytest.raises(UserError, match="whole resource"):
        service.segment_related(people["tina"], ids[0])
