"""JSONL metadata records: good ones become entries, every bad line is reported with its number."""

from __future__ import annotations

import json

import pytest

from adapt.catalogue.records import BadLine, Entry, entry_from_record, read_jsonl
from adapt.errors import InputError

GOOD = {"title": "Loops", "description": "A for loop repeats code.", "url": "https://example.org/loops",
        "language": "pt_br", "licence": "CC-BY-4.0", "subject": "programming"}


def test_catalogue_record_fields_are_normalised():
    entry = entry_from_record(GOOD, source="x.jsonl:1")
    assert entry.key == "url:https://example.org/loops"
    assert entry.language == "pt-BR" and entry.license == "CC-BY-4.0" and entry.subject == ("programming",)
    assert entry.passages == ("Loops. A for loop repeats code.",)


def test_catalogue_record_license_spelling_and_no_url_key():
    entry = entry_from_record({"title": "Only a title", "license": "CC0-1.0"}, source="s")
    assert entry.license == "CC0-1.0" and entry.key.startswith("record:") and entry.passages == ("Only a title",)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "JSON object"),
        (b'"a string"', "JSON object"),
        (b'{"url": "https://x"}', "title or a description"),
        (b'{"title": "   ", "description": ""}', "title or a description"),
        (b'{"title": 5}', "title must be a string"),
        (b'{"title": "x", "language": "portuguese!"}', "language"),
        (b'{"title": "x", "language": 7}', "language"),
        (b'{"title": "x", "subject": {"a": 1}}', "subject"),
        (b'{"title": "x", "subject": [1, 2]}', "subject"),
        (b'{"title": "x", "licence": "CC-BY-4.0", "license": "CC0-1.0"}', "disagree"),
        (b'{"title": "caf\xe9"}', "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"title": "' + b"x" * 1_100_000 + b'"}', "longer than"),
        (b'{"title": "' + b"x" * 200_000 + b'"}', "characters long"),
    ],
)
def test_catalogue_jsonl_bad_lines_are_reported_with_their_number(tmp_path, line, reason):
    path = tmp_path / "c.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n\n" + line + b"\n")
    out = list(read_jsonl(path))
    assert isinstance(out[0], Entry)
    assert len(out) == 2 and isinstance(out[1], BadLine)
    assert out[1].line == 3 and reason in out[1].reason


def test_catalogue_jsonl_bom_crlf_and_blank_lines(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode() + b"\r\n\r\n   \n" + json.dumps(
        {"title": "Second", "description": "Two"}).encode() + b"\r\n")
    entries = list(read_jsonl(path))
    assert [e.title for e in entries] == ["Loops", "Second"]


def test_catalogue_jsonl_nul_bytes_are_dropped(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"title": "A\u0000B"}) + "\n", encoding="utf-8")
    assert [e.title for e in read_jsonl(path)] == ["AB"]


def test_catalogue_jsonl_bad_lines_stop_the_add_unless_skipped(catalogue, tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n{oops\n")
    with pytest.raises(InputError, match=r"c.jsonl has 1 bad record\(s\): line 2") as caught:
        catalogue.add_paths([path], max_bytes=10_000)
    assert "--skip-bad" in caught.value.hint
    assert catalogue.items() == []  # nothing half-added
    report = catalogue.add_paths([path], max_bytes=10_000, skip_bad=True)
    assert report.added == 1 and [str(b) for b in report.bad] == ["line 2: not JSON (Expecting property name "
                                                                  "enclosed in double quotes at column 2)"]


def test_catalogue_jsonl_empty_file_adds_nothing(catalogue, tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    report = catalogue.add_paths([path], max_bytes=10_000)
    assert report.added == 0 and catalogue.items() == []


def test_catalogue_jsonl_repeated_url_keeps_the_last(catalogue, jsonl):
    path = jsonl([GOOD, dict(GOOD, licence="CC0-1.0")])
    report = catalogue.add_paths([path], max_bytes=10_000)
    assert report.added == 1 and report.duplicates == 1
    assert catalogue.items()[0].license == "CC0-1.0"


def test_catalogue_jsonl_long_description_is_chunked():
    long = " ".join(f"Sentence number {i} talks about loops and lists." for i in range(200))
    entry = entry_from_record({"title": "Long", "description": long}, source="s")
    assert len(entry.passages) > 5
    assert all(len(p.split()) <= 120 for p in entry.passages)
