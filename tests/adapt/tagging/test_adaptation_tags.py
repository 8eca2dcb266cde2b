"""Tags of the translation: keywords and reading level of the accepted Portuguese text, stored with the
target language, used in the translation's JSON-LD and kept out of the source's. Real SQLite store; the
hash embedder ranks (plumbing; the keyword candidates are the real POS-free Portuguese ones)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapt.errors import UserError
from adapt.metadata import build_jsonld
from adapt.store import NewSuggestion
from adapt.tagging.adaptation import tag_translation, translated_texts
from adapt.tagging.run import tag_resource, tag_suggestions
from adapt.tagging.tagger import TASK_KEYWORD, TASK_READING_LEVEL

LESSON = """# The water cycle

The Sun heats the water in the oceans and the water evaporates. The water vapour rises and forms clouds.

The rain falls on the land and the rivers carry the water back to the sea.
"""
PT = {
    "The water cycle": "O ciclo da água",
    "The Sun heats the water in the oceans and the water evaporates. The water vapour rises and forms clouds.":
        "O Sol aquece a água dos oceanos e a água evapora. O vapor de água sobe e forma as nuvens.",
    "The rain falls on the land and the rivers carry the water back to the sea.":
        "A chuva cai sobre a terra e os rios levam a água de volta ao mar.",
}


@pytest.fixture
def translated(service, tmp_path: Path, hash_tagger):
    path = tmp_path / "water.md"
    path.write_text(LESSON, encoding="utf-8")
    rid = service.import_file(path, license="CC-BY-4.0", owner="tester").resource_id
    segments = service.store.segments(rid)
    new = []
    for seg in segments:
        target = PT.get(seg.source_text.strip())
        if target:
            new.append(NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text, target, {"model": "test"}))
    ids = service.store.add_suggestions(new)
    assert len(ids) >= 3
    for i in ids[:-1]:
        service.store.accept(i, actor="ana")
    service.store.edit(ids[-1], "A chuva cai sobre a terra e os rios levam a água de volta ao mar e aos lagos.",
                       actor="ana")
    tag_resource(service.store, rid, hash_tagger)
    return rid, ids


def test_adaptation_tags_read_the_accepted_translation(service, translated, hash_tagger):
    rid, ids = translated
    texts = translated_texts(service.store, rid, "pt")
    assert texts[0] == "O ciclo da água" and texts[-1].endswith("aos lagos.")
    run = tag_translation(service.store, rid, "pt", hash_tagger)
    assert run.added > 0 and run.segments == len(texts)
    words = " ".join(texts).lower()
    assert run.keywords and all(k.text.lower() in words for k in run.keywords), "keywords are Portuguese"
    rows = [s for s in tag_suggestions(service.store, rid) if s.target_language == "pt"]
    assert {s.task for s in rows} == {TASK_KEYWORD, TASK_READING_LEVEL}
    assert all(s.scores["describes"] == "translation" for s in rows)
    again = tag_translation(service.store, rid, "pt", hash_tagger)
    assert again.added == 0 and again.unchanged == run.added


def test_adaptation_tags_in_the_translations_jsonld_only(service, translated, hash_tagger):
    rid, _ = translated
    tag_translation(service.store, rid, "pt", hash_tagger)
    service.store.accept_all(rid, actor="ana")
    pt_keywords = [s.current_text for s in tag_suggestions(service.store, rid)
                   if s.task == TASK_KEYWORD and s.target_language == "pt"]
    en_keywords = [s.current_text for s in tag_suggestions(service.store, rid)
                   if s.task == TASK_KEYWORD and s.target_language is None]
    target = build_jsonld(service.store, rid, target_language="pt")
    assert target["inLanguage"] == "pt"
    assert target["keywords"] == pt_keywords
    assert target["isBasedOn"]["keywords"] == en_keywords and target["isBasedOn"]["inLanguage"] == "en"
    assert "pt translation" in target["educationalAlignment"][0]["targetDescription"]
    source = build_jsonld(service.store, rid)
    assert source["keywords"] == en_keywords
    assert "measured on the source" in source["educationalAlignment"][0]["targetDescription"]


def test_adaptation_tags_language_matching():
    from adapt.tagging.adaptation import language_matches

    assert language_matches("pt", "pt-BR") and language_matches("pt-BR", "pt") and language_matches("PT", "pt")
    assert not language_matches("pt-PT", "pt-BR") and not language_matches("es", "pt")
    assert not language_matches(None, "pt")


def test_adaptation_tags_need_an_accepted_translation(service, translated, hash_tagger):
    rid, _ = translated
    with pytest.raises(UserError, match="no accepted translation into es"):
        tag_translation(service.store, rid, "es", hash_tagger)
