"""`adapt models`, `adapt memory` and `adapt glossary` from the command line, with the generated
Argos test model (real CTranslate2) and a real SQLite database."""

from __future__ import annotations

import pytest

from models.catalogue import TINY_ARGOS

pytestmark = pytest.mark.slow


@pytest.fixture
def argos_cli(adapt, tmp_path, monkeypatch):
    monkeypatch.setenv("ADAPT_DATA_DIR", str(tmp_path / "data"))
    installed = adapt.json("models", "install", "argos", "--file", TINY_ARGOS)
    assert (installed["source"], installed["target"]) == ("en", "es")
    return adapt


def _lesson(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_models_list_shows_catalogue_and_packages(argos_cli):
    listing = argos_cli.json("models", "list")
    engines = {row["engine"] for row in listing["catalogue"]}
    assert engines == {"bergamot", "argos", "apertium", "transformers"}
    bergamot = next(r for r in listing["catalogue"] if r["engine"] == "bergamot")
    assert "MPL-2.0" in bergamot["licence"] and bergamot["installed"]
    assert [p["name"] for p in listing["argos_packages"]] == ["translate-en_es-tiny"]
    assert all(r["installed"] for r in argos_cli.json("models", "list", "--installed")["catalogue"])


def test_cli_models_install_usage_errors(adapt, tmp_path, monkeypatch):
    monkeypatch.setenv("ADAPT_DATA_DIR", str(tmp_path / "data"))
    assert adapt("models", "install", "argos", expect=1).exit_code == 1
    (tmp_path / "x.argosmodel").write_bytes(b"nope")
    assert adapt.json("models", "install", "argos", "--file", tmp_path / "x.argosmodel", expect=1)["exit_code"] == 1


def test_cli_edit_reused_in_other_resource_and_tmx_round_trip(argos_cli, tmp_path):
    a = _lesson(tmp_path, "a.txt", "The cat is big.\n\nThe dog is red.\n")
    b = _lesson(tmp_path, "b.txt", "Where is the house?\n\nThe cat is big.\n")
    first = argos_cli.json("translate", a, "--to", "es", "--engine", "argos", "--license", "CC-BY-4.0")
    rows = argos_cli.json("suggestions", first["resource"])
    argos_cli("edit", rows[0]["id"], "--text", "El gato es enorme.")
    second = argos_cli.json("translate", b, "--to", "es", "--engine", "argos", "--license", "CC-BY-4.0")
    reused = [r for r in argos_cli.json("suggestions", second["resource"]) if r["origin"] == "memory"]
    assert [r["suggestion"] for r in reused] == ["El gato es enorme."]
    assert reused[0]["scores"]["memory"]["suggestion"] == rows[0]["id"]
    text = argos_cli("suggestions", second["resource"]).stdout
    assert "memory: edited by tester in resource" in text

    out = tmp_path / "memory.tmx"
    assert argos_cli.json("memory", "export", out)["units"] == 1
    assert argos_cli.json("memory", "import", out) == {"imported": 1, "duplicates": 0, "skipped": 0,
                                                       "pairs": {"en→es": 1}, "problems": []}
    stats = argos_cli.json("memory", "stats")["pairs"]["en→es"]
    assert stats == {"edited": 1, "tmx": 1}
    (match, *_) = argos_cli.json("memory", "lookup", "The cat is big.", "--to", "es")
    assert match["similarity"] == 100.0 and match["text"] == "El gato es enorme."


def test_cli_glossary_import_list_remove_and_enforce(argos_cli, tmp_path):
    terms = _lesson(tmp_path, "terms.csv", "term,translation,type\ndog,,dnt\ncat,minino,forced\n")
    assert argos_cli.json("glossary", "import", terms, "--to", "es") == {"added": 2, "updated": 0, "skipped": []}
    listed = argos_cli.json("glossary", "list")
    assert {(t["term"], t["kind"]) for t in listed} == {("dog", "dnt"), ("cat", "forced")}
    run = argos_cli.json("translate", _lesson(tmp_path, "a.txt", "The cat is big.\n\nThe dog is red.\n"),
                         "--to", "es", "--engine", "argos", "--license", "CC-BY-4.0")
    rows = argos_cli.json("suggestions", run["resource"])
    assert rows[1]["suggestion"] == "El dog es rojo."
    assert [f["code"] for f in rows[0]["qa_flags"]] == ["glossary-term"]
    cat = next(t for t in listed if t["term"] == "cat")
    assert argos_cli.json("glossary", "remove", cat["id"])["term"] == "cat"
    assert argos_cli.json("glossary", "remove", cat["id"], expect=1)["exit_code"] == 1
    bad = _lesson(tmp_path, "bad.csv", "word\nx\n")
    assert "term" in argos_cli.json("glossary", "import", bad, expect=1)["error"]


def test_cli_transformers_needs_model(adapt, tmp_path):
    path = _lesson(tmp_path, "a.txt", "The cat is big.\n")
    error = adapt.json("translate", path, "--to", "es", "--engine", "transformers", "--license", "CC-BY-4.0",
                       expect=1)
    assert "--model" in (error["hint"] or error["error"])


def test_cli_translate_with_transformers_model(adapt, tmp_path):
    from models.catalogue import TINY_TRANSFORMERS

    path = _lesson(tmp_path, "a.txt", "This is a red book.\n")
    run = adapt.json("translate", path, "--to", "es", "--engine", "transformers", "--model", TINY_TRANSFORMERS,
                     "--license", "CC-BY-4.0")
    (row,) = adapt.json("suggestions", run["resource"])
    assert row["suggestion"] == "Esto es un libro rojo." and row["model"]["engine"] == "transformers"


def test_cli_translate_with_transformers_model_after_simplifying(adapt, tmp_path):
    """--model names the translation model on the simplify-then-translate path too."""
    from models.catalogue import TINY_TRANSFORMERS

    path = _lesson(tmp_path, "b.txt", "This is a red book.\n")
    run = adapt.json("translate", path, "--to", "es", "--engine", "transformers", "--model", TINY_TRANSFORMERS,
                     "--simplify", "grade:6", "--simplifier", "rules", "--license", "CC-BY-4.0")
    rows = [r for r in adapt.json("suggestions", run["resource"]) if r["task"] == "translate"]
    assert [r["suggestion"] for r in rows] == ["Esto es un libro rojo."]
    assert rows[0]["model"]["engine"] == "transformers"


def test_cli_memory_import_reports_skipped_units_and_refuses_entities(adapt, tmp_path):
    tmx = _lesson(tmp_path, "x.tmx", '<!DOCTYPE tmx SYSTEM "tmx14.dtd"><tmx version="1.4"><header srclang="en"/><body>'
                  '<tu><tuv xml:lang="en"><seg>Hi <bpt i="1" x="1">&lt;b&gt;</bpt>you<ept i="1">&lt;/b&gt;</ept></seg>'
                  '</tuv><tuv xml:lang="es"><seg>Hola <bpt i="1" x="1">&lt;b&gt;</bpt>tú<ept i="1">&lt;/b&gt;</ept>'
                  '</seg></tuv></tu>'
                  '<tu><tuv xml:lang="en"><seg>a <ept i="4"/></seg></tuv><tuv xml:lang="es"><seg>b</seg></tuv></tu>'
                  '</body></tmx>')
    result = adapt.json("memory", "import", tmx)
    assert result["imported"] == 1 and result["skipped"] == 1
    assert result["problems"] == ['unit 2: <ept i="4"> without its <bpt>']
    assert 'unit 2: <ept i="4"> without its <bpt>' in adapt("memory", "import", tmx).stdout
    (match,) = adapt.json("memory", "lookup", "Hi [3]you[/3]", "--to", "es")
    assert match["text"] == "Hola [3]tú[/3]"
    bomb = _lesson(tmp_path, "bomb.tmx", '<!DOCTYPE tmx [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                   '<tmx><body><tu><tuv xml:lang="en"><seg>&b;</seg></tuv></tu></body></tmx>')
    assert "entities" in adapt.json("memory", "import", bomb, expect=1)["error"]
