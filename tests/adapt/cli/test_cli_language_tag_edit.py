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


def test_cli_tag_target_tags_the_accepted_translation(adapt, tmp_path: Path):
    from adapt.store import NewSuggestion, Store

    path = tmp_path / "water.md"
    path.write_text("# Water\n\nThe Sun heats the water of the sea and the water evaporates into clouds.\n",
                    encoding="utf-8")
    rid = adapt.json("tag", path, "--embedder", "hash", "--license", "CC-BY-4.0")["resource"]
    adapt("tag", "--resource", rid, "--target", "pt", "--embedder", "hash", expect=1)  # nothing accepted yet
    store = Store(adapt.db)
    try:
        seg = next(s for s in store.segments(rid) if "evaporates" in s.source_text)
        [sid] = store.add_suggestions([NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text,
                                                     "O Sol aquece a água do mar e a água evapora em nuvens.",
                                                     {"model": "test"})])
        store.accept(sid, actor="ana")
    finally:
        store.close()
    run = adapt.json("tag", "--resource", rid, "--target", "pt-br", "--embedder", "hash")
    assert run["target_language"] == "pt-BR" and run["describes"] == "translation" and run["added"] > 0
    assert run["segments"] == 1  # the pt translation serves a pt-BR request
    adapt("tag", "--resource", rid, "--target", "Ciências", "--embedder", "hash", expect=1)
    usage = adapt("tag", path, "--target", "pt", "--embedder", "hash", expect=1)
    assert "--target needs --resource" in usage.output
