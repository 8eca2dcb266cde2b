"""Server-side HTML for the review page escapes everything that came from a file, a model or a person."""

from __future__ import annotations

import pytest

from adapt.store import Suggestion
from ui import render

PAYLOADS = ['<img src=x onerror="alert(1)">', "<script>alert(1)</script>", "${alert(1)}", "{{value}}",
            "\" onmouseover=\"alert(1)", "javascript:alert(1)"]


def suggestion(value: str, **kw) -> Suggestion:
    base = dict(id=7, resource_id=1, segment_id=3, segment_key="p1", position=0, task="translate",
                target_language="pt", source_text=value, text=value, model_signature={"model": value},
                qa_flags=[{"code": value, "message": value}], scores={value: 0.5}, origin="model", created_at="now",
                status="edited", final_text=value + " edited", version=2, decided_at="now", decided_by=value)
    base.update(kw)
    return Suggestion(**base)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_escapes_hostile_text(payload):
    s = suggestion(payload)
    html = render.table_html([s], can_review=True) + render.detail_html(s, []) + render.counts_html(
        type("C", (), {"total": 1, "reviewed": 1, "by_status": {}, "flagged": 1})(), matching=1)
    assert "<img" not in html and "<script" not in html and "${" not in html and "{{" not in html
    assert 'onmouseover="' not in html


def test_render_marks_placeholders_and_edits():
    s = suggestion("Read [1]this[/1] now", final_text="Read [1]that[/1] now")
    row = render.row_html(s, can_review=True, selected=None)
    assert '<span class="ph"' in row and "<ins>that</ins>" in row
    assert 'data-act="undo"' in row and 'data-version="2"' in row
    assert "data-act" not in render.row_html(s, can_review=False, selected=None)


def test_render_detail_for_a_simplification_diffs_source_and_suggestion():
    s = suggestion("The feline rested", task="simplify", text="The cat rested", final_text=None, status="pending")
    html = render.detail_html(s, [])
    assert "<del>feline</del>" in html and "<ins>cat</ins>" in html


def test_render_related_escapes_and_links_only_http():
    found = {"results": [
        {"item": 1, "title": "<b>Plants</b>", "url": "javascript:alert(1)", "similarity": 0.81, "license": "CC-BY-4.0",
         "why": "<script>x</script>"},
        {"item": 2, "title": "Water", "url": "https://example.org/water", "similarity": 0.5},
    ]}
    html = render.related_html(found)
    assert "<b>Plants" not in html and "<script" not in html and "javascript:" not in html
    assert '<a href="https://example.org/water"' in html and "0.81" in html
    assert "No related" in render.related_html({"results": []})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_detail_lists_a_simplifications_operations_escaped(payload):
    operations = [{"kind": "replace", "rule": "lexical", "before": "commenced", "after": payload},
                  {"kind": "split", "rule": "relative-clause", "before": "which"}, {"bogus": 1}]
    s = suggestion("The council commenced it", task="simplify", text="The council started it", final_text=None,
                   status="pending", scores={"similarity": 0.9, "operations": operations})
    html = render.detail_html(s, [])
    assert 'data-testid="operations"' in html
    assert "replaced &quot;commenced&quot; -&gt; &quot;" in html and "split at relative-clause" in html
    assert "<img" not in html and "<script" not in html
    assert 'data-testid="operations"' not in render.detail_html(suggestion("x", scores={}), [])


def test_render_scores_cell_shows_numbers_not_program_records():
    """A placeholder repair or a memory match is a record, not a score: the table cell showed it as a
    Python dump ("placeholder_repairs [{'number': 1, …}]"); found by the teacher-journey browser test."""
    s = suggestion("Água", scores={"placeholder_repairs": [{"number": 1, "source": "water cycle",
                                                             "retranslated": False}],
                                   "memory": {"similarity": 0.9}, "comet": 0.8123, "grade_after": 5})
    cell = render.table_html([s], can_review=True).split('<td class="scores">')[1].split("</td>")[0]
    assert "comet 0.81" in cell and "grade_after 5" in cell
    assert "placeholder_repairs" not in cell and "{" not in cell and "memory" not in cell
