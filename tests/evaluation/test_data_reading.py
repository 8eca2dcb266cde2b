"""Evaluation files: CRLF, BOM, control characters, and bad input (binary, not UTF-8, empty, huge, misaligned)."""

from __future__ import annotations

import pytest

from adapt.errors import EmptyDocument, FileTooLarge, InputError, UnreadableFile
from evaluation import data
from evaluation.data import read_lines, read_tsv


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"one\r\ntwo\r\n", ["one", "two"]),  # CRLF (NTREX)
        (b"\xef\xbb\xbfone\ntwo", ["one", "two"]),  # BOM, no final newline (OneStopEnglish)
        (b"it\x19s here\n\x1cquoted\x1d\n", ["its here", "quoted"]),  # stray C0 controls
        (b"a\n\nc\n", ["a", "", "c"]),  # an empty segment keeps its line
    ],
)
def test_lines_are_cleaned(tmp_path, raw, expected):
    path = tmp_path / "f.txt"
    path.write_bytes(raw)
    assert read_lines(path).lines == expected


@pytest.mark.parametrize(
    "raw, error",
    [
        (b"", EmptyDocument),
        (b"\n\n\n", EmptyDocument),
        (b"\x00\x01binary\x00", UnreadableFile),
        (b"caf\x92 latte\n", UnreadableFile),  # Windows-1252, like one OneStopEnglish file
    ],
)
def test_bad_files_are_refused_with_a_message(tmp_path, raw, error):
    path = tmp_path / "f.txt"
    path.write_bytes(raw)
    with pytest.raises(error) as info:
        read_lines(path)
    assert info.value.hint


def test_missing_and_huge_files(tmp_path, monkeypatch):
    with pytest.raises(UnreadableFile):
        read_lines(tmp_path / "absent.txt")
    path = tmp_path / "big.txt"
    path.write_bytes(b"x\n" * 1000)
    monkeypatch.setattr(data, "MAX_BYTES", 100)
    with pytest.raises(FileTooLarge):
        read_lines(path)


def test_limit(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("a\nb\nc\n", encoding="utf-8")
    got = read_lines(path, limit=2)
    assert got.lines == ["a", "b"] and got.total == 3 and got.describe()["used"] == 2
    with pytest.raises(InputError):
        read_lines(path, limit=0)


@pytest.mark.parametrize(
    "text, rows",
    [
        ("path\tlabel\na\tx\n", [["a", "x"]]),
        ("# comment\na\tx,y\n\nb\tz\n", [["a", "x,y"], ["b", "z"]]),
    ],
)
def test_tsv(tmp_path, text, rows):
    path = tmp_path / "g.tsv"
    path.write_text(text, encoding="utf-8")
    assert read_tsv(path, columns=2)[0] == rows


def test_tsv_with_a_missing_column(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("a\tx\nb\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_tsv(path, columns=2)
    assert "line 2" in str(info.value)
