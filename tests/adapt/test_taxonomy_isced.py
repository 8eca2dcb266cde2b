"""The packaged ISCED-F 2013 taxonomy: codes as strings, levels by digits, descriptions, bad rows."""

from __future__ import annotations

import pytest

from adapt.taxonomy import isced, parse


def test_taxonomy_isced_levels_and_counts():
    t = isced()
    assert len(t.at_level("broad", include_residual=True)) == 12
    assert len(t.at_level("narrow", include_residual=True)) == 58
    assert len(t.at_level("detailed", include_residual=True)) == 149  # the data README counts the header too
    # what a document can be tagged with: no "not further defined" / "not elsewhere classified" / unknown
    assert len(t.at_level("detailed")) == 80
    assert all(len(f.code) == 4 and f.code.isdigit() for f in t.at_level("detailed"))


def test_taxonomy_isced_codes_keep_leading_zeros_and_hierarchy():
    t = isced()
    f = t["0613"]
    assert f.label == "Software and applications development and analysis"
    assert f.parent == "061" and f.level == "detailed"
    assert [a.code for a in t.ancestors("0613")] == ["06", "061", "0613"]
    assert "Computer programming" in f.keywords
    assert t["0313"].label == "Psychology" and t["031"].label == "Social and behavioural sciences"


def test_taxonomy_isced_typos_fixed_and_every_field_described():
    t = isced()
    assert t["0021"].label == "Literacy and numeracy"
    assert t["9999"].label == "Field unknown"
    missing = [f.code for f in t.at_level("detailed") if not f.description]
    assert missing == []


@pytest.mark.parametrize(("code", "residual"), [
    ("000", True), ("0000", True), ("058", True), ("0588", True), ("0619", True), ("999", True), ("99", True),
    ("061", False), ("0613", False), ("0313", False), ("00", False), ("1041", False),
])
def test_taxonomy_isced_residual_codes(code, residual):
    assert isced()[code].residual is residual


@pytest.mark.parametrize("tsv", [
    "", "code\tlabel\tparent\n", "garbage without tabs\n", "abc\tNot a code\t0\n", "\t\t\t\n" * 50,
    "061\tICT\n0613\tSoftware\t061\n061399\tkw\t0613\n" + "x\ty\tz\n" * 1000,
])
def test_taxonomy_parse_bad_input_does_not_crash(tsv):
    t = parse(tsv)
    assert all(code.isdigit() for code in t.fields)


def test_taxonomy_parse_keyword_rows_attach_to_their_field():
    t = parse("code\tlabel\tparent\n06\tICT\t0\n061\tICT\t06\n0613\tSoftware\t061\n061300\tProgramming\t0613\n",
              "# comment\ncode\tdescription\n0613\tSoftware: writing programs.\n")
    assert t["0613"].keywords == ("Programming",)
    assert t["0613"].description == "Software: writing programs."
    assert "061300" not in t
    assert t.label_texts("0613") == ["Software: writing programs.", "Programming"]
