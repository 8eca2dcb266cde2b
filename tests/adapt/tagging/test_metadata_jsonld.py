"""LRMI / schema.org JSON-LD from accepted tags: required keys, only reviewed tags, edits win."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapt.metadata import REQUIRED_KEYS, build_jsonld, license_to_url, missing_keys
from adapt.tagging.run import tag_resource, tag_suggestions
from adapt.tagging.tagger import TASK_KEYWORD, TASK_SUBJECT, TASK_TYPE

LESSON = """# Neurons

Neurons are the cells of the nervous system. A neuron receives signals through its dendrites and sends
them along its axon. Psychologists study how the nervous system shapes behavior and the mind.

## Exercise

Name the parts of a neuron.

## Exercise

Explain what a synapse does.

## Glossary

**axon**: the long part of a neuron that carries signals away from the cell body.
"""


@pytest.fixture
def tagged(service, tmp_path: Path, hash_tagger) -> int:
    path = tmp_path / "neurons.md"
    path.write_text(LESSON, encoding="utf-8")
    rid = service.import_file(path, license="CC-BY-4.0", owner="tester").resource_id
    tag_resource(service.store, rid, hash_tagger)
    return rid


def _validate(doc: dict) -> None:
    """What an LRMI consumer needs: schema.org context and type, and the shapes of each key."""
    assert doc["@context"] == "https://schema.org/"
    assert doc["@type"] == "LearningResource"
    assert isinstance(doc["name"], str) and doc["name"]
    assert isinstance(doc["inLanguage"], str) and 2 <= len(doc["inLanguage"]) <= 8
    for term in doc["about"]:
        assert term["@type"] in ("DefinedTerm", "Thing") and term["name"]
        if term["@type"] == "DefinedTerm":
            assert term["termCode"].isdigit() and term["inDefinedTermSet"]["name"].startswith("ISCED-F 2013")
    assert all(isinstance(k, str) and k for k in doc["keywords"])
    assert all(level["@type"] == "DefinedTerm" and level["name"] for level in doc["educationalLevel"])
    assert all(isinstance(t, str) for t in doc["learningResourceType"])
    assert doc["license"].startswith("https://creativecommons.org/licenses/")
    assert doc["isBasedOn"]["@type"] == "CreativeWork"
    json.dumps(doc)  # serialisable as is


def test_metadata_jsonld_nothing_accepted_leaves_tag_keys_out(service, tagged):
    doc = build_jsonld(service.store, tagged)
    # The language is the resource's own (stated, or detected at import), not a tag a reviewer must accept.
    expected_missing = {"about", "keywords", "educationalLevel", "learningResourceType"}
    if service.resource(tagged).language is None:
        expected_missing.add("inLanguage")
    else:
        assert doc["inLanguage"] == service.resource(tagged).language
    assert set(missing_keys(doc)) == expected_missing
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_metadata_jsonld_accepted_tags_fill_every_required_key(service, tagged):
    store = service.store
    rows = tag_suggestions(store, tagged)
    assert any(s.task == TASK_TYPE for s in rows), "the format marked exercises / a glossary"
    store.accept_all(tagged, actor="ana")
    subjects = [s for s in rows if s.task == TASK_SUBJECT]
    store.edit(subjects[0].id, "0313", actor="ana")  # the reviewer knows better: just the code
    store.reject(subjects[1].id, actor="ana")
    keywords = [s for s in rows if s.task == TASK_KEYWORD]
    store.edit(keywords[0].id, "neurônio", actor="ana")
    store.reject(keywords[1].id, actor="ana")
    doc = build_jsonld(store, tagged)
    assert missing_keys(doc) == []
    assert set(REQUIRED_KEYS) <= set(doc)
    _validate(doc)
    assert doc["about"][0] == {"@type": "DefinedTerm", "termCode": "0313", "name": "Psychology",
                               "inDefinedTermSet": doc["about"][0]["inDefinedTermSet"]}
    assert len(doc["about"]) == 2  # the rejected one is gone
    assert doc["keywords"][0] == "neurônio" and keywords[1].text not in doc["keywords"]
    assert doc["inLanguage"] == "en"
    assert doc["isBasedOn"]["inLanguage"] == "en"


def test_metadata_jsonld_target_language_describes_the_adaptation(service, tagged):
    service.store.accept_all(tagged, actor="ana")
    doc = build_jsonld(service.store, tagged, target_language="pt")
    assert doc["inLanguage"] == "pt" and doc["isBasedOn"]["inLanguage"] == "en"
    assert doc["name"] == "Neurons"  # the title was not translated: the source's title stays


def test_metadata_jsonld_of_a_translation_is_named_by_its_reviewed_title(service, tagged):
    """The JSON-LD of the Portuguese text names it in Portuguese once its title's translation is accepted
    (found by the teacher-journey browser test: it said "Neurons" with inLanguage "pt")."""
    from adapt.store import NewSuggestion

    title = next(r for r in service.store.segments(tagged) if r.source_text == "Neurons")
    body = next(r for r in service.store.segments(tagged) if r.source_text.startswith("Neurons are"))
    sid, other = service.store.add_suggestions([
        NewSuggestion(tagged, title.id, "translate", "pt", title.source_text, "Neurónios", {"engine": "t"}),
        NewSuggestion(tagged, body.id, "translate", "pt", body.source_text, "Os neurónios são…", {"engine": "t"})])
    service.store.accept(other, actor="ana")
    assert build_jsonld(service.store, tagged, target_language="pt")["name"] == "Neurons"  # title pending
    service.store.edit(sid, "Os neurónios", actor="ana")
    doc = build_jsonld(service.store, tagged, target_language="pt")
    assert doc["name"] == "Os neurónios" and doc["isBasedOn"]["name"] == "Neurons"
    assert build_jsonld(service.store, tagged)["name"] == "Neurons"  # the source's own metadata


def test_metadata_jsonld_free_text_subject_is_a_thing(service, tagged):
    subject = next(s for s in tag_suggestions(service.store, tagged) if s.task == TASK_SUBJECT)
    service.store.edit(subject.id, "Neuroscience for teachers", actor="ana")
    doc = build_jsonld(service.store, tagged)
    assert doc["about"] == [{"@type": "Thing", "name": "Neuroscience for teachers"}]


@pytest.mark.parametrize(("given", "url"), [
    ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ("cc-by-sa", "cc-by-sa"),  # no version stated: not guessed
    ("CC-BY-NC-SA-3.0", "https://creativecommons.org/licenses/by-nc-sa/3.0/"),
    ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    ("http://creativecommons.org/licenses/by/4.0/", "https://creativecommons.org/licenses/by/4.0/"),
    ("MIT", "MIT"),
    (None, None),
    ("", None),
])
def test_metadata_license_urls(given, url):
    assert license_to_url(given) == url


def test_metadata_jsonld_carries_the_attribution_of_the_adaptation(service, tagged):
    """The licences area's TASL fields land in the same JSON-LD: who reviewed, with which models."""
    rows = tag_suggestions(service.store, tagged)
    service.store.accept(rows[0].id, actor="ana")
    doc = build_jsonld(service.store, tagged)
    assert doc["isBasedOn"]["name"] and doc["isBasedOn"]["license"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert "creditText" in doc and "CC BY 4.0" in doc["creditText"]
    names = [c["name"] for c in doc.get("contributor", [])]
    assert "ana" in names
    assert "author" not in doc  # the source names no author: none is invented
