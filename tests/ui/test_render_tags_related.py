"""The Tags panel and the related-resources lists: grouped, with evidence, escaped, reviewable like rows."""

from __future__ import annotations

import pytest

from adapt.store import Suggestion
from tests.ui.test_render_escaping import PAYLOADS
from ui import render


def tag(task: str, text: str, scores: dict, **kw) -> Suggestion:
    base = dict(id=kw.pop("id", 1), resource_id=1, segment_id=None, segment_key=None, position=None, task=task,
                target_language=None, source_text="resource 1: Lesson", text=text, model_signature={"model": "e5"},
                qa_flags=[], scores=scores, origin="model", created_at="now", status="pending", final_text=None,
                version=1, decided_at=None, decided_by=None)
    base.update(kw)
    return Suggestion(**base)


SUBJECT = tag("tag:subject", "0511 Biology", {"code": "0511", "label": "Biology", "score": 0.8731,
                                               "broad_label": "Natural sciences, mathematics and statistics"}, id=5)
KEYWORD = tag("tag:keyword", "chlorophyll", {"keyword": "chlorophyll", "score": 0.42, "count": 3}, id=6)
LANGUAGE = tag("tag:language", "en", {"language": "en", "confidence": 0.97, "method": "profile"}, id=4)


def test_render_tags_grouped_by_kind_with_evidence_and_review_buttons():
    html = render.tags_html([KEYWORD, LANGUAGE, SUBJECT], can_review=True)
    # Subject first, then keywords, then language (TAG_KINDS order), whatever order they were stored in.
    assert html.index('data-id="5"') < html.index('data-id="6"') < html.index('data-id="4"')
    assert "ISCED-F 0511 Biology" in html and "score 0.87" in html and "Natural sciences" in html
    assert "score 0.42" in html and "3×" in html and "confidence 0.97" in html
    # The same row contract as segment rows, so TABLE_JS sends {id, version, action} for tags too.
    assert 'class="row tag status-pending"' in html and 'data-version="1"' in html
    assert html.count('data-act="accept"') == 3 and html.count('data-act="reject"') == 3
    assert "0 / 3 tags accepted" in html


def test_render_tags_decided_and_read_only():
    edited = tag("tag:keyword", "light", {"score": 0.3}, id=8, status="edited", final_text="sunlight", version=2,
                 decided_by="ed")
    html = render.tags_html([edited], can_review=True)
    assert "sunlight" in html and "(model: light)" in html and 'data-act="undo"' in html
    assert "1 / 1 tags accepted" in html
    assert "data-act" not in render.tags_html([edited], can_review=False)


def test_render_tags_empty_says_how_to_make_them():
    assert "Suggest tags" in render.tags_html([], can_review=True)
    segment = tag("translate", "x", {}, segment_id=3)  # not a tag: not shown here
    assert "Suggest tags" in render.tags_html([segment], can_review=True)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_tags_and_related_escape_hostile_text(payload):
    t = tag("tag:subject", payload, {"code": payload, "label": payload, "broad_label": payload}, decided_by=payload,
            status="accepted")
    found = {"catalogue_items": 1, "results": [{"item": 1, "title": payload, "url": payload, "language": payload,
                                                 "license": payload, "similarity": 0.5, "why": payload}]}
    html = render.tags_html([t], can_review=True) + render.related_html(found)
    assert "<img" not in html and "<script" not in html and "${" not in html and "{{" not in html
    assert 'onmouseover="' not in html and 'href="javascript' not in html


def test_render_related_shows_title_language_licence_similarity_and_why():
    found = {"catalogue_items": 2, "results": [
        {"item": 1, "title": "Leaves and light", "url": "https://example.org/leaves", "language": "en",
         "license": "CC-BY-4.0", "similarity": 0.8123, "why": "Leaves catch sunlight."},
        {"item": 2, "title": "Roots", "url": None, "language": "pt", "license": None, "similarity": 0.61, "why": ""}]}
    html = render.related_html(found)
    assert '<a href="https://example.org/leaves" rel="noopener noreferrer nofollow"' in html
    assert "similarity 0.81" in html and "CC-BY-4.0" in html and "<q>Leaves catch sunlight.</q>" in html
    assert "Roots" in html and "licence unknown" in html and "similarity 0.61" in html


def test_render_related_empty_catalogue_and_no_match_differ():
    empty = render.related_html({"catalogue_items": 0, "results": []})
    assert "No open resources have been added" in empty and 'data-testid="related-empty"' in empty
    assert "adapt " not in empty and "<code>" not in empty  # no command line words for a teacher
    none = render.related_html({"catalogue_items": 3, "results": []}, empty="Nothing close.")
    assert "Nothing close." in none and "catalog add" not in none


def test_render_related_review_rows_reviewable_like_tags():
    leaves = tag("related", "Why leaves are green <https://example.org/chlorophyll>",
                 {"similarity": 0.91, "language": "en", "license": "CC-BY-4.0", "why": "Chlorophyll is green."}, id=11)
    volcano = tag("related", "Volcanoes <https://example.org/v>", {"similarity": 0.42, "language": "en"}, id=12,
                  status="rejected", decided_by="ed", version=2)
    html = render.related_review_html([volcano, leaves], can_review=True, catalogue_items=5)
    assert html.index('data-id="11"') < html.index('data-id="12"')  # most similar first
    assert "similarity 0.91" in html and "CC-BY-4.0" in html and "Chlorophyll is green." in html
    assert "licence unknown" in html  # the volcano item states none
    assert "0 / 2 related resources accepted" in html and 'data-act="accept"' in html
    assert "data-act" not in render.related_review_html([leaves], can_review=False, catalogue_items=5)
    assert "No open resources have been added" in render.related_review_html([], can_review=True,
                                                                              catalogue_items=0)


def test_render_related_says_how_related_in_words_and_counts_what_it_hides():
    found = {"catalogue_items": 40, "hidden": 3, "results": [
        {"item": 1, "title": "Water · Biology 2e", "language": "en", "license": "CC-BY-4.0", "similarity": 0.897,
         "relatedness": 0.9886, "relatedness_label": "closely related", "why": "Water is polar."}]}
    html = render.related_html(found)
    assert "closely related (better than 99% of chance matches)" in html and "0.897" not in html
    assert 'data-testid="related-hidden"' in html and "3 more in the catalogue are not related" in html
    nothing = render.related_html({"catalogue_items": 40, "hidden": 5, "results": []})
    assert "Nothing in the catalogue is closely related to this segment (5 items checked)." in nothing
    tiny = render.related_html({"catalogue_items": 2, "results": [
        {"item": 1, "title": "Roots", "similarity": 0.8, "relatedness": None, "relatedness_label": "not calibrated"}]})
    assert "the catalogue is too small to say how closely" in tiny
    row = tag("related", "Water · Biology 2e <catalogue item 7>",
              {"similarity": 0.897, "relatedness": 0.93, "relatedness_label": "related", "language": "en"}, id=21)
    assert "related (better than 93% of chance matches)" in render.related_review_html(
        [row], can_review=True, catalogue_items=40)


def test_render_metadata_gaps_in_words_not_jsonld_keys():
    """The export message named JSON-LD keys ("educationalLevel, learningResourceType"): issue 14 defect 8,
    seen again by the teacher-journey browser test."""
    assert render.metadata_gaps(["keywords", "educationalLevel", "learningResourceType"]) == (
        "keywords, educational level and resource type")
    assert render.metadata_gaps(["about"]) == "subject" and render.metadata_gaps([]) == ""


def test_render_related_resource_row_shows_its_title_not_the_catalogue_item_id():
    """A related resource kept as a suggestion is stored as "Title <where>": the row shows the title,
    linked when <where> is a web address, and never "<catalogue item 1>"."""
    local = tag("related", "How roots take up water <catalogue item 1>", {"similarity": 0.8}, id=21)
    web = tag("related", "Volcanoes <https://example.org/volcanoes>", {"similarity": 0.7}, id=22)
    html = render.related_review_html([local, web], can_review=True, catalogue_items=3)
    shown = [part.split("</div>")[0] for part in html.split('<div class="shown">')[1:]]
    assert "How roots take up water" in shown[0] and "catalogue item" not in shown[0]
    assert '<a href="https://example.org/volcanoes"' in shown[1] and "&lt;https" not in shown[1]
    assert "How roots take up water &lt;catalogue item 1&gt;</textarea>" in html  # the editor keeps the stored form
