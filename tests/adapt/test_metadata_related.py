"""Related resources a reviewer accepted reach the exported JSON-LD; rejected and undecided ones do not."""

from __future__ import annotations

import json

from adapt.formats import parse_stored
from adapt.metadata import RELATION, build_jsonld
from adapt.related import TASK_RELATED
from adapt.store import NewSuggestion


def related_suggestion(rid: int, rank: int, title: str, url: str | None, license: str | None) -> NewSuggestion:
    where = url or f"catalogue item {rank}"
    return NewSuggestion(rid, None, TASK_RELATED, None, "Lesson", f"{title} <{where}>", {"engine": "test"},
                         scores={"title": title, "url": url, "language": "pt-BR", "license": license,
                                 "similarity": 0.9 - rank / 100, "rank": rank})


def test_accepted_and_edited_related_resources_are_exported_in_rank_order(service, tmp_path):
    ed = service.people.add("ed", "editor", "password-1")
    data = b"# Lesson\n\nCells are small.\n"
    rid = service.import_document(parse_stored("markdown", "lesson.md", data), data, language="en",
                                  license="CC-BY-4.0", owner="ed").resource_id
    ids = service.store.add_suggestions([
        related_suggestion(rid, 1, "Células", "https://example.org/celulas", "CC-BY-4.0"),
        related_suggestion(rid, 2, "Membranas", "https://example.org/membranas", "CC-BY-SA-4.0"),
        related_suggestion(rid, 3, "Rejected one", "https://example.org/no", "CC0-1.0"),
        related_suggestion(rid, 4, "Undecided", "https://example.org/later", None),
        related_suggestion(rid, 5, "No link", None, "some local licence"),
    ])
    assert RELATION not in build_jsonld(service.store, rid)  # nothing decided: nothing claimed

    def decide(sid: int, action: str, **extra) -> None:
        current = service.store.suggestion(sid)
        service.session(ed).decide(sid, action, expected_version=current.version, **extra)

    decide(ids[4], "accept")
    decide(ids[0], "accept")
    decide(ids[1], "edit", text="Membranas celulares <https://example.org/membranas-2>")
    decide(ids[2], "reject")
    related = build_jsonld(service.store, rid)[RELATION]
    assert [w["name"] for w in related] == ["Células", "Membranas celulares", "No link"]
    assert related[0] == {"@type": "CreativeWork", "name": "Células", "url": "https://example.org/celulas",
                          "inLanguage": "pt-BR", "license": "https://creativecommons.org/licenses/by/4.0/"}
    assert related[1]["url"] == "https://example.org/membranas-2"  # the reviewer's edit wins
    assert "url" not in related[2] and related[2]["license"] == "some local licence"
    json.dumps(related)

    decide(ids[0], "undo")
    assert [w["name"] for w in build_jsonld(service.store, rid)[RELATION]] == ["Membranas celulares", "No link"]
