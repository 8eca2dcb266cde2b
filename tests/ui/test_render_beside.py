"""The round-4 pieces of the review HTML: removed markers shown, headings once, escaped feedback on a
row, what the checks refused apart, the export's warning naming only undecided segments."""

from __future__ import annotations

from dataclasses import replace

from adapt.export import ExportStats
from adapt.review import Overruled, ReviewCounts
from adapt.store import Suggestion
from ui import render

BASE = Suggestion(id=7, resource_id=1, segment_id=3, segment_key="p-1", position=1, task="translate",
                  target_language="pt", source_text="Plants make [1]food[/1] from light.",
                  text="As plantas fazem [1]alimento[/1] com luz.", model_signature={"engine": "test"}, qa_flags=[],
                  scores={}, origin="model", created_at="2026-12-05T08:00:00", status="pending", final_text=None,
                  version=0, decided_at=None, decided_by=None)


def test_an_edit_that_drops_markers_shows_them_removed_on_the_row_and_in_the_detail():
    edited = replace(BASE, status="edited", final_text="As plantas fazem comida com luz.", decided_by="tina")
    row = render.row_html(edited, can_review=True, selected=None)
    assert row.count('data-testid="removed-marker"') == 2 and "<ins>comida</ins>" in row
    assert "<del>alimento</del>" not in row  # on the row, only the markers are said removed
    detail = render.detail_html(edited, [])
    assert detail.count("Machine suggestion") == 1 and detail.count("Reviewer's edit") == 1
    assert detail.count('data-testid="removed-marker"') == 2 and "alimento" in detail


def test_row_feedback_is_escaped_and_refused_rows_are_apart():
    o = Overruled("tina", "edit", "<b>x</b>", "ed", "reject", "2026-12-05T08:30:00")
    note = render.overruled_note(o)
    assert "&lt;b&gt;x&lt;/b&gt;" in note and "tina</b> had edited this" in note and "ed</b> rejected it" in note
    assert "You had edited this" in render.overruled_note(o, "tina")
    assert "then you rejected it" in render.overruled_note(o, "ed")
    refused = replace(BASE, status="rejected", decided_by="guard")
    row = render.row_html(refused, can_review=True, selected=None)
    assert "refused by the checks" in row and ">guard<" not in row and 'data-act="reject"' in row
    counts = render.counts_html(ReviewCounts(4, {"pending": 2, "accepted": 0, "edited": 0, "rejected": 0}, 0, 2),
                                matching=4)
    assert "0 / 4 reviewed" in counts and "2 refused by the checks" in counts


def test_export_warning_names_only_undecided_segments():
    stats = ExportStats(segments=4, accepted=2, edited=0, unreviewed=0, untouched=2, words_total=10,
                        words_machine_unedited=6, undecided=2, refused_by_checks=1)
    text = render.undecided_warning(stats, included=False)
    assert "2 of 4 segments have no reviewer's decision yet" in text
    assert "1 pending, 1 refused by the checks" in text and "keep the source text" in text
