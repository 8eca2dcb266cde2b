"""The spine end to end with the real packaged Bergamot model: translate, review, export."""

import re

import pytest

from adapt.formats.markdown import MarkdownFormat
from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow
LESSON = FIXTURES / "lesson.md"


def _structure(text: str):
    lines = text.splitlines()
    return {
        "headings": [re.match(r"#+", line).group(0) for line in lines if line.startswith("#")],
        "bullets": sum(1 for line in lines if line.startswith("- ")),
        "numbered": [line.split(" ")[0] for line in lines if re.match(r"\d+\. ", line)],
        "table_rows": [line.count("|") - line.count("\\|") for line in lines if line.startswith("|")],
        "link_targets": re.findall(r"\]\(([^)]+)\)", text),
        "math": re.findall(r"\$[^$\n]+\$", text),
        "code_block": re.search(r"```python\n.*?```", text, re.S).group(0),
        "inline_code": re.findall(r"`[^`\n]+`", text),
    }


def test_translate_accept_export_keeps_structure(adapt, tmp_path):
    out = adapt.json("translate", LESSON, "--to", "pt")
    assert out["suggestions"] == out["segments"] > 15
    rid = out["resource"]
    rows = adapt.json("suggestions", rid)
    assert all(r["status"] == "pending" and r["model"]["engine"] == "bergamot" for r in rows)
    accepted = adapt.json("accept", "--resource", rid, "--all")
    assert len(accepted["accepted"]) == len(rows)
    target = tmp_path / "lesson.pt.md"
    report = adapt.json("export", rid, "--out", target)
    assert report["accepted"] == len(rows) and report["unreviewed"] == 0
    source, translated = LESSON.read_text(), target.read_text()
    assert _structure(translated) == _structure(source)
    assert "Comentários" in translated and "Objetivos" in translated or "Objectivos" in translated
    assert translated != source
    # the export is well-formed Markdown with the same segments, plus one front note per notice
    # (attribution, changes made, the adaptation's licence: every export carries them)
    assert len(report["notices"]) >= 3
    assert len(MarkdownFormat().read(target, target.read_bytes()).segments) == len(
        MarkdownFormat().read(LESSON, LESSON.read_bytes()).segments
    ) + len(report["notices"])


def test_review_decisions_survive_rerunning_translation(adapt, tmp_path):
    rid = adapt.json("translate", LESSON, "--to", "pt")["resource"]
    rows = adapt.json("suggestions", rid)
    first, second, third = rows[0]["id"], rows[1]["id"], rows[2]["id"]
    adapt("accept", first)
    adapt("edit", second, "--text", "Texto revisto por uma pessoa.")
    adapt("reject", third)
    again = adapt.json("translate", LESSON, "--to", "pt")
    assert again["resource"] == rid
    # The rerun adds only what the memory learnt from the decisions (a fuzzy match of the accepted
    # "Comments" for the table cell "Comment"), to segments nobody settled, and only once.
    after = adapt.json("suggestions", rid)
    new = [r for r in after if r["id"] not in {row["id"] for row in rows}]
    settled = {r["segment"] for r in rows[:2]}
    assert len(new) == again["suggestions"] and all(r["origin"].startswith("memory") for r in new)
    assert not any(r["segment"] in settled for r in new)
    assert adapt.json("translate", LESSON, "--to", "pt")["suggestions"] == 0
    status = {r["id"]: (r["status"], r["final"]) for r in adapt.json("suggestions", rid)}
    assert status[first] == ("accepted", None)
    assert status[second] == ("edited", "Texto revisto por uma pessoa.")
    assert status[third] == ("rejected", None)
    # export: edited text in, rejected segment stays in the source language, pending ones stay too
    out = tmp_path / "partial.md"
    report = adapt.json("export", rid, "--out", out)
    assert (report["accepted"], report["edited"]) == (1, 1)
    text = out.read_text()
    assert "Texto revisto por uma pessoa." in text and "## Learning objectives" in text
    assert "⚠" not in text
    # with --include-unreviewed the pending machine output goes in, visibly marked
    draft = tmp_path / "draft.md"
    adapt("export", rid, "--out", draft, "--include-unreviewed")
    assert "⚠" in draft.read_text() and "texto automático ainda não revisto" in draft.read_text()  # in Portuguese


def test_export_refuses_when_nothing_was_reviewed(adapt, tmp_path):
    rid = adapt.json("translate", LESSON, "--to", "pt")["resource"]
    result = adapt("export", rid, "--out", tmp_path / "x.md", expect=1)
    assert "nothing in resource" in result.stderr and not (tmp_path / "x.md").exists()


def test_undo_via_cli(adapt):
    rid = adapt.json("translate", LESSON, "--to", "pt")["resource"]
    sid = adapt.json("suggestions", rid)[0]["id"]
    adapt("accept", sid)
    adapt("edit", sid, "--text", "Outro")
    assert adapt.json("undo", sid)[0]["status"] == "accepted"
    history = adapt.json("history", sid)
    assert [h["action"] for h in history] == ["accept", "edit", "undo"]


def test_demo_and_resources_listing(adapt):
    out = adapt.json("demo")
    assert out["resource"] == 1 and len(out["suggestions"]) > 10
    listing = adapt.json("resources")
    assert listing[0]["title"] == "Comments" and listing[0]["format"] == "markdown" and listing[0]["language"] == "en"
    assert "resource 1" in adapt("demo").stdout


def test_markup_the_real_model_half_drops_is_put_back_flagged_and_exported(adapt, tmp_path):
    # Bergamot keeps "[/1]" and drops "[1]" here ("Uma biblioteca[/1] é..."): the step puts it back
    # around the word that the pair's own translation matches, and says so.
    lesson = tmp_path / "libraries.md"
    lesson.write_text("# Libraries\n\nOne reason why Python is popular is because many libraries exist for doing "
                      "real work. A **library** is a collection of code that can be used in other programs.\n",
                      encoding="utf-8")
    rid = adapt.json("translate", lesson, "--to", "pt", "--license", "CC-BY-4.0")["resource"]
    paragraph = [r for r in adapt.json("suggestions", rid) if "[1]" in r["source"]][0]
    assert "Uma [1]biblioteca[/1] é" in paragraph["suggestion"]
    assert [f["code"] for f in paragraph["qa_flags"]] == ["placeholder-repaired"]
    assert paragraph["scores"]["placeholder_repairs"][0]["placed_on"] == "biblioteca"
    for row in adapt.json("suggestions", rid):
        adapt("accept", row["id"])
    out = tmp_path / "libraries.pt.md"
    adapt("export", rid, "--out", out)
    assert "Uma **biblioteca** é uma coleção" in out.read_text(encoding="utf-8")
