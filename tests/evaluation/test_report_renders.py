"""A report renders from stored runs: tables, the floor, signatures, plots (scores, readability, edit rate)."""

from __future__ import annotations

from evaluation.metrics import SARI, CompressionRatio, ReadingGrade
from evaluation.report import write_report
from evaluation.runs import list_runs, load_run, save_run
from evaluation.suites import evaluate_simplification
from evaluation.systems import CopySource, FileOutputs

SOURCES = ["Notwithstanding considerable opposition, the administration implemented comprehensive regulations .",
           "The committee approved the proposal after a lengthy deliberation ."]
REFS = [["Despite opposition, the government made new rules ."], ["The group said yes to the plan after a long talk ."]]


def _run(tmp_path):
    hyp = tmp_path / "simple.txt"
    hyp.write_text("The government made new rules .\nThe group said yes to the plan .\n", encoding="utf-8")
    systems = [CopySource("identity"), FileOutputs(hyp, hyp.read_text(encoding="utf-8").splitlines())]
    return evaluate_simplification(suite="file:simplify", sources=SOURCES, references=REFS, systems=systems,
                                   language="en", metrics=[SARI(), ReadingGrade(), CompressionRatio()],
                                   settings={"limit": None}, bootstrap=100)


def test_a_simplification_report_renders_from_the_store(tmp_path, store):
    run = _run(tmp_path)
    run_id = save_run(store, run)
    loaded = load_run(store, run_id)
    assert [s.name for s in loaded.systems] == ["identity", "simple"]
    assert loaded.system("simple").score("SARI").value == run.system("simple").score("SARI").value
    assert loaded.system("simple").score("SARI").signature.digest == run.system("simple").score("SARI").signature.digest
    assert loaded.system("simple").output.outputs == run.system("simple").output.outputs
    assert loaded.comparisons[0].p_value == run.comparisons[0].p_value
    md, html = write_report([loaded], tmp_path / "report")
    text = md.read_text(encoding="utf-8")
    assert "| identity | baseline |" in text and "SARI" in text and "FKGL" in text
    assert "![Reading grade before and after](run1-readability.png)" in text
    assert (tmp_path / "report" / "run1-readability.png").stat().st_size > 1000
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("data:image/png;base64,") == 2
    assert list_runs(store)[0]["segments"] == 2


def test_hostile_text_is_escaped_in_the_html(tmp_path, store):
    hyp = tmp_path / "x.txt"
    hyp.write_text("<script>alert(1)</script>\n", encoding="utf-8")
    run = evaluate_simplification(suite="<b>suite</b>", sources=["a b c ."], references=[["a b ."]],
                                  systems=[FileOutputs(hyp, ["<script>alert(1)</script>"], name="<img src=x>")],
                                  language="en", metrics=[SARI()], settings={}, bootstrap=0)
    _, html = write_report([run], tmp_path / "r")
    page = html.read_text(encoding="utf-8")
    assert "<img src=x>" not in page and "&lt;img src=x&gt;" in page and "<b>suite</b>" not in page


def test_unknown_run_is_a_user_error(store):
    import pytest

    from adapt.errors import UserError

    with pytest.raises(UserError):
        load_run(store, 42)
