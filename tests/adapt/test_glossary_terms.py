"""Glossary: import (CSV, TBX, bad input), do-not-translate protection, forced-term QA flags."""

from __future__ import annotations

import pytest

from adapt.errors import HostileInput, InputError, UnreadableFile
from adapt.glossary import Glossary, Term, import_file, list_terms, load_glossary, parse_csv, parse_tbx
from adapt.qa import QAInput


def test_glossary_protect_and_restore_skips_placeholders():
    g = Glossary("default", "en", "pt", [Term("Python", "dnt", "en"), Term("Python Software Foundation", "dnt", "en")])
    text, restore = g.protect("Python by the Python Software Foundation uses [1]python[/1] and [2].")
    # Longest term first; text inside a pair ([1]...[/1], e.g. emphasis) is prose and protected too.
    assert text == "[4] by the [3] uses [1][5][/1] and [2]."
    assert restore == {3: "Python Software Foundation", 4: "Python", 5: "python"}
    assert g.restore("[4] da [3] usa [1][5][/1] e [2].", restore) == \
        "Python da Python Software Foundation usa [1]python[/1] e [2]."


@pytest.mark.parametrize(
    ("source", "output", "codes"),
    [
        ("Use Python here.", "Use Python aqui.", []),
        ("Use Python here.", "Use Pitão aqui.", ["glossary-dnt"]),
        ("A list is mutable.", "Uma lista é mutável.", []),
        ("A list is mutable.", "Um arranjo é mutável.", ["glossary-term"]),
        ("Nothing relevant.", "Nada.", []),
        ("A checklist item.", "Um item.", []),  # whole words only
    ],
)
def test_glossary_check_flags(source, output, codes):
    g = Glossary("default", "en", "pt", [Term("Python", "dnt", "en"), Term("list", "forced", "en", "pt", "lista")])
    assert [f.code for f in g.check(QAInput(source=source, output=output))] == codes


def test_glossary_csv_import_with_bad_rows(store, tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text("\ufeffterm;translation;type;target;note\nPython;;;;a name\nlist;lista;forced;pt;\n"
                    "loop;laço;;;\n;x;;;\n[1];;;;\n", encoding="utf-8")
    result = import_file(store, path, project="cs", target_language=None)
    assert (result.added, result.updated) == (2, 0)
    assert len(result.skipped) == 3 and "line 4" in result.skipped[0]  # loop: no target language
    terms = {t.term: t for t in list_terms(store, "cs")}
    assert terms["Python"].kind == "dnt" and terms["list"].translation == "lista"
    assert import_file(store, path, project="cs").updated == 2  # re-import updates
    assert load_glossary(store, "cs", "en", "pt").terms and not load_glossary(store, "other", "en", "pt").terms


TBX = """<?xml version="1.0"?><!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="1"><langSet xml:lang="en"><tig><term>variable</term></tig></langSet>
  <langSet xml:lang="pt-BR"><tig><term>variável</term></tig></langSet></termEntry>
<termEntry id="2"><langSet xml:lang="en"><ntig><termGrp><term>GitHub</term></termGrp></ntig></langSet>
  <langSet xml:lang="pt"><ntig><termGrp><term>GitHub</term></termGrp></ntig></langSet></termEntry>
<termEntry id="3"><langSet xml:lang="de"><tig><term>Schleife</term></tig></langSet></termEntry>
</body></text></martif>"""


def test_glossary_tbx_parse():
    terms, skipped = parse_tbx(TBX.encode(), project="default", source_language="en", target_language=None)
    assert {(t.term, t.kind, t.target_language, t.translation) for t in terms} == {
        ("variable", "forced", "pt-BR", "variável"), ("GitHub", "dnt", "*", None)}  # the region is kept
    assert skipped == ["entry 3: no en term"]


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("g.tbx", b"<martif><text><body>", InputError),
        ("g.tbx", b"<html/>", InputError),
        ("g.tbx", b'<!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><martif>&b;</martif>', HostileInput),
        ("g.csv", b"", InputError),
        ("g.csv", b"word,translation\nx,y\n", InputError),
        ("g.csv", b"\xff\xfeterm", UnreadableFile),
        ("g.json", b"{}", InputError),
    ],
)
def test_glossary_bad_files(store, tmp_path, name, data, error):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error):
        import_file(store, path, target_language="pt")


def test_glossary_huge_csv(store, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("term\n" + "".join(f"term{i}\n" for i in range(20000)), encoding="utf-8")
    assert import_file(store, path).added == 20000
    terms, skipped = parse_csv(b"term,translation,target\n" + b"a" * 300 + b",b,pt\n", project="p",
                               source_language="en", target_language=None)
    assert terms == [] and "longer than" in skipped[0]
