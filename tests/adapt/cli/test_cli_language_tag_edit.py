"""`adapt edit` on a Language tag: a non-language is refused (exit 1, one line that says what to type)
and nothing is recorded; a tag is stored in its conventional case. Hash embedder at the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapt.tagging.conftest import HashEmbedder


@pytest.fixture(autouse=True)
def hash_embedder(monkeypatch):
    import models.embedders as embedders

    monkeypatch.setitem(embedders.EMBEDDERS, "hash", lambda **_: HashEmbedder())


def test_cli_language_tag_edit_refuses_a_subject_name(adapt, tmp_path: Path):
    path = tmp_path / "agua.md"
    path.write_text("# Ciclo da água\n\nA água do mar evapora com o calor do Sol e forma as nuvens.\n",
                    encoding="utf-8")
    rid = adapt.json("tag", path, "--embedder", "hash", "--license", "CC-BY-4.0")["resource"]
    language = next(t for t in adapt.json("tags", rid) if t["task"] == "tag:language")
    refused = adapt("edit", language["id"], "--text", "Ciências", expect=1)
    assert "'Ciências' is not a BCP 47 language tag" in refused.output
    assert "pt-BR" in refused.output
    assert next(t for t in adapt.json("tags", rid) if t["id"] == language["id"])["status"] == "pending"
    adapt("edit", language["id"], "--text", "pt-br")
    after = next(t for t in adapt.json("tags", rid) if t["id"] == language["id"])
    assert after["status"] == "edited"
    assert after["final"] == "pt-BR"
