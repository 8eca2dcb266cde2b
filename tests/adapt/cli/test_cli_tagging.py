"""`adapt tag`, `adapt tags`, `adapt metadata` and `adapt export --metadata` end to end, in-process.

The embedder is swapped for the hash bag of words at the registry (the model boundary): these tests are
about the commands, the store and the files; the real e5 tagger runs in tests/adapt/tagging (slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapt.metadata import REQUIRED_KEYS
from tests.adapt.tagging.conftest import HashEmbedder

LESSON = """# Loops

A loop repeats statements. A for loop runs once for each item in a list; a while loop runs while its
condition is true. Programmers use loops to process data and to print values.

## Exercise

Write a loop that prints the numbers from one to five.

## Exercise

Write a while loop that stops when the total passes one hundred.
"""


@pytest.fixture(autouse=True)
def hash_embedder(monkeypatch):
    import models.embedders as embedders

    monkeypatch.setitem(embedders.EMBEDDERS, "hash", lambda **_: HashEmbedder())


@pytest.fixture
def lesson(tmp_path: Path) -> Path:
    path = tmp_path / "loops.md"
    path.write_text(LESSON, encoding="utf-8")
    return path


def test_cli_tagging_tag_review_and_export_metadata(adapt, lesson, tmp_path):
    run = adapt.json("tag", lesson, "--embedder", "hash", "--license", "CC-BY-4.0")
    rid = run["resource"]
    assert run["added"] > 0 and len(run["subjects"]) == 3
    assert run["language"]["language"] == "en"
    assert {t["type"] for t in run["resource_types"]} == {"exercise"}
    tags = adapt.json("tags", rid)
    assert all(t["segment"] is None and t["task"].startswith("tag:") for t in tags)
    subject = next(t for t in tags if t["task"] == "tag:subject")
    adapt("accept", "--resource", rid, "--all")
    adapt("edit", subject["id"], "--text", "0613 Software and applications development and analysis")
    out = tmp_path / "loops.jsonld"
    result = adapt.json("export", rid, "--metadata", out)
    assert result["metadata_missing"] == []
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(REQUIRED_KEYS) <= set(doc)
    assert doc["about"][0]["termCode"] == "0613"
    assert doc["learningResourceType"] == ["exercise"]
    # the same through `adapt metadata`
    shown = json.loads(adapt("metadata", rid, "--json").stdout)
    assert shown == doc


def test_cli_tagging_retag_stored_resource_adds_nothing_new(adapt, lesson):
    rid = adapt.json("tag", lesson, "--embedder", "hash")["resource"]
    again = adapt.json("tag", "--resource", rid, "--embedder", "hash")
    assert again["added"] == 0 and again["unchanged"] > 0


def test_cli_tagging_metadata_only_before_review_reports_missing(adapt, lesson, tmp_path):
    rid = adapt.json("tag", lesson, "--embedder", "hash")["resource"]
    result = adapt.json("export", rid, "--metadata", tmp_path / "m.jsonld")
    assert "about" in result["metadata_missing"] and "keywords" in result["metadata_missing"]


@pytest.mark.parametrize("args", [
    ("tag",),
    ("tag", "missing.md"),
    ("tag", "--resource", "99"),
    ("tags", "99"),
    ("export", "1"),
    ("tag", "x.md", "--resource", "1"),
])
def test_cli_tagging_bad_input_exit_1(adapt, args):
    result = adapt(*args, "--json", expect=1)
    assert json.loads(result.stdout)["error"]


def test_cli_tagging_cnxml_module_with_its_book_as_context(adapt, shared):
    book = shared / "oer" / "openstax-psychology-2e"
    run = adapt.json("tag", book / "modules" / "m82170" / "index.cnxml", "--context", book, "--embedder", "hash")
    assert run["language"]["language"] == "en"
    types = {t["type"]: t for t in run["resource_types"]}
    # the CNXML glossary (<meaning>) and the "... Questions" sections are what the format says
    assert "glossary" in types and "definition" in types["glossary"]["evidence"]
    assert "assessment" in types
    assert run["keywords"] and run["reading_level"]["language"] == "en"
