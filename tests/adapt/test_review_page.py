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
        service.people.add(name, role, "password-1")
    return {u.name: u for u in service.people.list()}


def test_review_page_paginates_and_counts(service, people):
    rid = seed(service)
    view = service.session(people["tina"]).review_page(rid, page=2, page_size=5)
    assert (view.page, view.pages, view.matching, len(view.rows)) == (2, 3, 13, 5)
    assert [s.position for s in view.rows] == [5, 6, 7, 8, 9]
    assert service.session(people["tina"]).review_page(rid, page=99, page_size=5).page == 3  # clamped
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
    first = service.session(people["ed"]).review_page(rid).rows[0]
    service.session(people["ed"]).decide(first.id, "accept", expected_version=0)
    assert service.session(people["ed"]).review_page(rid, flt, page_size=100).matching == expected


def test_review_bulk_accepts_only_unflagged_in_the_view(service, people):
    rid = seed(service)
    view = service.session(people["ed"]).review_page(rid, ReviewFilter(), page=1, page_size=100)
    some = view.matching_ids[:6]
    done = service.session(people["ed"]).accept_unflagged(rid, some)
    assert len(done) == 4 and set(done) <= set(some)
    assert all(not service.review.suggestion(i).qa_flags for i in done)
    assert {d.actor for d in service.store.decisions_for_resource(rid)} == {"ed"}


def test_review_decide_records_actor_and_detects_conflicts(service, people):
    rid = seed(service)
    s = service.session(people["tina"]).review_page(rid).rows[1]
    edited = service.session(people["tina"]).decide(s.id, "edit", expected_version=s.version, text="Mine")
    with pytest.raises(ConflictError, match="changed by tina"):
        service.session(people["ed"]).decide(s.id, "reject", expected_version=s.version)
    assert service.review.suggestion(s.id).final_text == "Mine"
    service.session(people["ed"]).decide(s.id, "undo", expected_version=edited.version)
    assert service.review.suggestion(s.id).status == "pending"
    history = service.session(people["ed"]).history(s.id)
    assert [(d.action, d.actor) for d in history] == [("edit", "tina"), ("undo", "ed")]
    with pytest.raises(InvalidDecision):
        service.session(people["ed"]).decide(s.id, "explode", expected_version=None)
    with pytest.raises(InvalidDecision):
        service.session(people["ed"]).decide(s.id, "edit", expected_version=None, text="   ")


def test_review_roles_are_enforced_by_the_service(service, people):
    rid = seed(service, owner="tina")
    s = service.session(people["ed"]).review_page(rid).rows[0]
    with pytest.raises(PermissionDenied):
        service.session(people["eve"]).decide(s.id, "accept", expected_version=None)
    with pytest.raises(UnknownResource):
        service.session(people["tom"]).decide(s.id, "accept", expected_version=None)
    with pytest.raises(UnknownResource):
        service.session(people["tom"]).review_page(rid)
    with pytest.raises(PermissionDenied):
        service.session(people["eve"]).accept_unflagged(rid, [s.id])
    assert [r.id for r in service.session(people["tom"]).resources()] == []
    assert [r.id for r in service.session(people["eve"]).resources()] == [rid]
    assert service.session(people["eve"]).review_page(rid).counts.total == 13  # evaluators read everything


def test_review_preview_is_sanitized_and_follows_decisions(service, people):
    rid = seed(service, paragraphs=2)
    rows = service.session(people["ed"]).review_page(rid).rows
    assert "PT" not in service.session(people["ed"]).preview_html(rid)  # nothing reviewed: the source
    service.session(people["ed"]).decide(rows[1].id, "accept", expected_version=0)
    html = service.session(people["ed"]).preview_html(rid)
    assert "<p>PT Paragraph number 0 is here.</p>" in html
    assert "⚠" in service.session(people["ed"]).preview_html(rid, include_unreviewed=True)


def test_review_upload_size_limit_and_roles(service, people, tmp_path):
    from adapt.errors import FileTooLarge

    big = tmp_path / "big.md"
    big.write_text("# Big\n\n" + ("word " * 50 + "\n\n") * 100, encoding="utf-8")  # 25 kB in short paragraphs
    with pytest.raises(FileTooLarge):
        service.session(people["tina"]).import_upload(big, max_bytes=1024)
    with pytest.raises(PermissionDenied):
        service.session(people["eve"]).import_upload(big)
    result = service.session(people["tina"]).import_upload(big)
    assert service.resource(result.resource_id).owner == "tina"
    # The same bytes uploaded by another teacher are not handed over to them.
    with pytest.raises(PermissionDenied, match="already imported"):
        service.session(people["tom"]).import_upload(big)


def test_review_related_on_an_empty_catalogue_says_so_and_checks_the_role(service, people):
    rid = seed(service)
    assert service.session(people["tina"]).related_resources(rid) == {"catalogue_items": 0, "results": []}
    sid = service.review.suggestions(rid)[0].id
    assert service.session(people["tina"]).segment_related(sid) == {"catalogue_items": 0, "results": []}
    for ask in (lambda: service.session(people["tom"]).related_resources(rid),
                lambda: service.session(people["tom"]).segment_related(sid)):
        with pytest.raises(UnknownResource):
            ask()

def test_review_related_keeps_results_as_reviewable_suggestions(service, people, tmp_path):
    rid = seed(service)
    assert service.session(people["tina"]).review_related(rid) == []  # empty catalogue: nothing searched, nothing kept
    doc = tmp_path / "cells.md"
    doc.write_text("# Cells\n\nA cell is the smallest unit of life. Cells have a membrane and a nucleus.\n",
                   encoding="utf-8")
    service.catalog_add([doc], license="CC-BY-4.0", language="en")
    assert service.session(people["eve"]).review_related(rid) == []  # a reader stores nothing
    kept = service.session(people["tina"]).review_related(rid)
    assert len(kept) == 1 and kept[0].task == "related" and kept[0].segment_id is None
    assert kept[0].text.startswith("Cells <") and kept[0].scores["license"] == "CC-BY-4.0"
    assert kept[0].model_signature["engine"]
    service.session(people["tina"]).decide(kept[0].id, "accept", expected_version=kept[0].version)
    again = service.session(people["tina"]).review_related(rid)  # searching again adds nothing twice
    assert [(s.id, s.status) for s in again] == [(kept[0].id, "accepted")]
    with pytest.raises(UnknownResource):
        service.session(people["tom"]).review_related(rid)


def test_review_edit_warnings_name_what_an_edit_lost(service, people):
    from adapt.review import edit_warnings

    data = b"# T\n\nRead **this** in 3 minutes.\n"
    rid = service.import_document(parse_stored("markdown", "t.md", data), data, owner="ed").resource_id
    seg = [s for s in service.store.segments(rid) if s.position == 1][0]
    sid = service.store.add_suggestions([NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text,
                                                       "Leia [1]isto[/1] em 3 minutos.", {"model": "t"})])[0]
    assert seg.source_text == "Read [1]this[/1] in 3 minutes."
    kept = service.session(people["ed"]).decide(sid, "edit", expected_version=0, text="Leia [1]isso[/1] em 3 minutos.")
    assert edit_warnings(kept) == []
    lost = service.session(people["ed"]).decide(sid, "edit", expected_version=kept.version,
                                                text="Leia isso em minutos.")
    warnings = edit_warnings(lost)
    assert any("[1]" in w for w in warnings) and any("3" in w for w in warnings)
    assert service.review.suggestion(sid).final_text == "Leia isso em minutos."  # said, never blocked


def test_review_metadata_for_writes_accepted_tags_and_checks_who_can_see(service, people, tmp_path):
    import json

    rid = seed(service)
    ids = service.store.add_suggestions([
        NewSuggestion(rid, None, "tag:keyword", None, "resource", "photosynthesis", {"model": "test"},
                      scores={"score": 0.5}),
        NewSuggestion(rid, None, "tag:keyword", None, "resource", "volcano", {"model": "test"}, scores={"score": 0.4}),
    ])
    tags = {s.text: s for s in service.session(people["tina"]).resource_suggestions(rid)}
    service.session(people["tina"]).decide(ids[0], "accept", expected_version=tags["photosynthesis"].version)
    service.session(people["tina"]).decide(ids[1], "reject", expected_version=tags["volcano"].version)
    # An evaluator reads everything, the metadata too (as the file export allows); another teacher does not.
    out = tmp_path / "lesson.jsonld"
    doc = service.session(people["eve"]).metadata(rid, out, target_language="pt")
    assert json.loads(out.read_text(encoding="utf-8")) == doc
    assert "photosynthesis" in json.dumps(doc["keywords"]) and "volcano" not in json.dumps(doc)
    with pytest.raises(UnknownResource):
        service.session(people["tom"]).metadata(rid, tmp_path / "no.jsonld")
    assert not (tmp_path / "no.jsonld").exists()
    # A tag is about the whole resource: it has no segment to find related items for.
    from adapt.errors import UserError

    with pytest.raises(UserError, match="whole resource"):
        service.session(people["tina"]).segment_related(ids[0])


UNRELATED_TOPICS = {
    "volcanoes": "Volcanoes erupt when magma rises through the crust. Lava flows and ash clouds follow.",
    "revolution": "In 1789 the people of Paris stormed the Bastille and the monarchy began to fall.",
    "loops": "A for loop in Python runs the same block of code once for each element of a list.",
    "taxes": "Income tax returns are filed once a year and list wages, deductions and credits.",
    "football": "A football match lasts ninety minutes and the team with more goals wins.",
    "pasta": "Boil the pasta in salted water for nine minutes, then drain it and add the sauce.",
    "music": "A major scale has seven notes; the chord built on its fifth note is the dominant.",
    "stocks": "Shares of a company are traded on a stock exchange, and their prices change every day.",
    "castles": "Medieval castles had thick stone walls, a moat and a drawbridge for defence.",
    "knitting": "To knit a scarf, cast on forty stitches and repeat the knit and purl rows.",
    "engines": "A car engine burns fuel in its cylinders, and the pistons turn the crankshaft.",
}


@pytest.mark.slow
def test_review_related_keeps_only_what_is_related_on_the_catalogue_scale(service, people, tmp_path):
    """The real e5: raw cosines of unrelated texts sit near the related one's, the calibrated scale
    does not; only related items become suggestions, and the segment view says how many it hid."""
    data = (b"# Cells\n\nA cell is the smallest unit of life. Every cell has a membrane.\n\n"
            b"Plant cells also have a wall and chloroplasts, where photosynthesis happens.\n")
    rid = service.import_document(parse_stored("markdown", "cells.md", data), data, language="en",
                                  license="CC-BY-4.0", owner="tina").resource_id
    files = []
    for name, text in {**UNRELATED_TOPICS, "biology": "Cells are the units of life: membranes, nuclei and "
                       "organelles such as chloroplasts in plant cells."}.items():
        files.append(tmp_path / f"{name}.md")
        files[-1].write_text(f"# {name.title()}\n\n{text}\n", encoding="utf-8")
    service.catalog_add(files, license="CC-BY-4.0", language="en")
    everything = service.session(people["tina"]).related_resources(rid, k=12)["results"]
    assert len(everything) == 12 and all(r["relatedness"] is not None for r in everything)
    kept = service.session(people["tina"]).review_related(rid, k=12)
    titles = [s.text.split(" <")[0] for s in kept]
    assert titles[0] == "Biology" and kept[0].scores["relatedness"] >= 0.95
    assert len(kept) <= 4, titles  # most of the unrelated topics are not kept as suggestions
    sid = service.store.add_suggestions([NewSuggestion(rid, s.id, "translate", "pt", s.source_text, "PT",
                                                       {"model": "t"}) for s in service.store.segments(rid)
                                         if "membrane" in s.source_text])[0]
    view = service.session(people["tina"]).segment_related(sid, k=12)
    assert view["results"][0]["title"] == "Biology" and view["hidden"] >= 8
    assert len(view["results"]) + view["hidden"] == 12
