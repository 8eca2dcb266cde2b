"""Done-when of issue 20: an English lesson translates offline to es, ca and gl without naming an
engine (the best measured route over Bergamot and Apertium), each suggestion records its route and
keeps the pivot text; `adapt eval routes` stores a local table that then decides; `adapt models list`
shows the Apertium pairs and the routes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

LESSON = """# The water cycle

Water moves between the [ocean](https://example.org/ocean) and the sky.

The Sun heats the water and it rises as **vapour**.

Clouds form when the vapour cools in the Xyzzyville mountains.
"""


class Cli:
    def __init__(self, tmp_path) -> None:
        from adapt.cli import _register

        self.cli = _register()
        self.env = {"ADAPT_USER": "tester", "ADAPT_DATA_DIR": str(tmp_path / "data"),
                    "ADAPT_CACHE_DIR": str(tmp_path / "cache")}
        self.db = tmp_path / "a.db"

    def json(self, *args, expect: int = 0):
        result = CliRunner().invoke(self.cli, ["--db", str(self.db), *map(str, args), "--json"], env=self.env,
                                    catch_exceptions=False)
        assert result.exit_code == expect, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path)


@pytest.fixture
def lesson(tmp_path):
    path = tmp_path / "lesson.md"
    path.write_text(LESSON, encoding="utf-8")
    return path


@pytest.mark.parametrize(("target", "expected_words"), [("es", ["agua", "nubes"]), ("ca", ["aigua", "núvols"]),
                                                        ("gl", ["auga", "nubes"])])
def test_lesson_translates_offline_without_naming_an_engine(cli, lesson, target, expected_words):
    run = cli.json("translate", lesson, "--to", target, "--license", "CC-BY-4.0")
    rows = cli.json("suggestions", run["resource"])
    assert len(rows) == 4
    text = " ".join(r["suggestion"] for r in rows).lower()
    assert all(word in text for word in expected_words), text
    table = json.loads((__import__("models.routes", fromlist=["x"]).DEFAULT_TABLE).read_text())
    best = table["pairs"][f"en-{target}"]["routes"][0]["route"]
    for row in rows:
        model = row["model"]
        assert model["settings"]["route"] == best and model["settings"]["route_table"] == "default"
        assert row["scores"]["engine_notes"]["route"] == best
    link = next(r for r in rows if "[1]" in r["source"])
    assert "[1]" in link["suggestion"] and "[/1]" in link["suggestion"]  # the link's placeholder came through every hop
    unknown = next(r for r in rows if "Xyzzyville" in r["source"])
    assert any(f["code"] == "untranslated-words" and "Xyzzyville" in f["message"] for f in unknown["qa_flags"])
    assert "*" not in unknown["suggestion"]
    if ">" in best:  # a chained route keeps the text of the hop before the last
        hops = rows[0]["scores"]["engine_notes"]["hops"]
        assert hops[0]["text"] and hops[0]["hop"] == best.split(">")[0]


def test_eval_routes_stores_a_local_table_that_then_decides(cli, lesson, shared):
    measured = cli.json("eval", "routes", "--to", "gl", "--route", "apertium:en-gl", "--route",
                        "apertium:en-es>apertium:es-gl", "--limit", "8", "--data", shared)
    (pair,) = measured["pairs"]
    assert {r["route"] for r in pair["routes"]} == {"apertium:en-gl", "apertium:en-es>apertium:es-gl"}
    assert all(r["sentences"] == 8 and 0 < r["chrF"] < 100 for r in pair["routes"])
    assert pair["about"]["sentences"] == "1-8 of 1997" and len(pair["about"]["load_average"]) == 3
    best = pair["routes"][0]["route"]
    listing = cli.json("models", "list")
    gl = next(r for r in listing["routes"] if r["to"] == "gl")
    assert (gl["route"], gl["table"]) == (best, "local")
    assert {"from": "en", "to": "es", "mode": "eng-spa"} in listing["apertium"]["pairs"]
    run = cli.json("translate", lesson, "--to", "gl", "--license", "CC-BY-4.0")
    assert cli.json("suggestions", run["resource"])[0]["model"]["settings"]["route"] == best


def test_eval_routes_bad_input(cli, shared):
    cli.json("eval", "routes", "--to", "sw", "--data", shared, expect=1)  # no route reaches Swahili
    cli.json("eval", "routes", "--to", "gl", "--route", "apertium:en-", "--data", shared, expect=1)
    cli.json("eval", "routes", "--to", "gl", "--start", "5000", "--data", shared, expect=1)
