"""Issue 15 end to end: a model that moves the words out of a pair ("[1][/1] words") must not make the
export write an empty element ("****", "<strong></strong>", "<term></term>"): in every format with inline
markup the step places the pair back around its words, flags it, and the export wraps them."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from models.signature import ModelSignature

PAIR = re.compile(r"\[(\d{1,4})\]([^\[\]]+?)\[/\1\]")


class MovingTranslator:
    """A model with the fault of issue 15, made deterministic: it copies its input (so a pair's own
    "translation" is its words) but moves the words of the first pair out of it ("[1][/1] words")."""

    name = "mover"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def pairs(self):
        return [("en", "pt")]

    def supports(self, source, target):
        return (source, target) == ("en", "pt")

    def translate(self, texts, *, source, target):
        self.seen.extend(texts)
        return [PAIR.sub(lambda m: f"[{m.group(1)}][/{m.group(1)}] {m.group(2)}", t, count=1) for t in texts]

    def signature(self, source, target):
        return ModelSignature("mover", "issue-15")


@pytest.fixture
def mover(service):
    fake = MovingTranslator()
    service.engines.use_translator(fake, "mover")
    return fake


def _translate_accept_export(service, path: Path, out: Path):
    summary = service.translate_file(path, target="pt", engine="mover", assume_license="CC-BY-4.0")
    rows = service.review.suggestions(summary.resource_id, task="translate")
    service.review.accept_all(summary.resource_id, actor="tester")
    service.export(summary.resource_id, out)
    return rows


def _placed(rows) -> list:
    return [r for r in rows if any(f["code"] == "placeholder-repaired" for f in r.qa_flags)]


def test_markdown_bold_moved_out_is_exported_around_its_words(service, mover, tmp_path):
    lesson = tmp_path / "lesson.md"
    lesson.write_text("# Bold\n\nSome **bold words** stay here.\n", encoding="utf-8")
    rows = _translate_accept_export(service, lesson, tmp_path / "out.md")
    exported = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "**bold words**" in exported and "****" not in exported
    [row] = _placed(rows)
    assert "“bold words” → “bold words”" in row.qa_flags[0]["message"]


def test_html_strong_moved_out_is_exported_around_its_words(service, mover, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Some <strong>bold words</strong> and a <a href='x.html'>link text</a>.</p>"
                    "</body></html>", encoding="utf-8")
    _translate_accept_export(service, page, tmp_path / "out.html")
    exported = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "<strong>bold words</strong>" in exported and "<strong></strong>" not in exported
    assert "link text</a>" in exported


CNXML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<document xmlns="http://cnx.rice.edu/cnxml" xmlns:md="http://cnx.rice.edu/mdml" id="m1" module-id="m1"'
    ' cnxml-version="0.7">\n<title>Cells</title>\n<metadata><md:title>Cells</md:title>'
    '<md:license url="http://creativecommons.org/licenses/by/4.0/">CC BY 4.0</md:license>'
    '<md:language>en</md:language></metadata>\n'
    '<content><para id="p1">A <term id="t1">key term</term> is shown in'
    ' <emphasis effect="italics">italic words</emphasis> here.</para></content>\n</document>\n'
)


def test_cnxml_term_moved_out_is_exported_around_its_words(service, mover, tmp_path):
    module = tmp_path / "index.cnxml"
    module.write_text(CNXML, encoding="utf-8")
    _translate_accept_export(service, module, tmp_path / "out.cnxml")
    exported = (tmp_path / "out.cnxml").read_text(encoding="utf-8")
    assert '<term id="t1">key term</term>' in exported
    assert '<emphasis effect="italics">italic words</emphasis>' in exported
    assert "></term>" not in exported


def test_docx_bold_run_moved_out_is_exported_around_its_words(service, mover, tmp_path):
    d = docx.Document()
    d.core_properties.language = "en"
    p = d.add_paragraph("A cell is the ")
    p.add_run("basic unit").bold = True
    p.add_run(" of life.")
    d.save(tmp_path / "cells.docx")
    _translate_accept_export(service, tmp_path / "cells.docx", tmp_path / "out.docx")
    [para] = [p for p in docx.Document(str(tmp_path / "out.docx")).paragraphs if "of life" in p.text]
    runs = [(r.text, bool(r.bold)) for r in para.runs]
    assert ("basic unit", True) in runs
    assert not [text for text, bold in runs if bold and not text.strip()]


def test_cartridge_page_strong_moved_out_is_exported_around_its_words(service, mover, tmp_path):
    import shutil
    import zipfile

    from tests.conftest import shared_data

    folder = tmp_path / "course"
    shutil.copytree(shared_data() / "packages/imscc/data_imscc_profilev1p1/sample_1", folder)
    page = folder / "page_001.htm"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "<p>Hello World</p>", "<p>Hello <strong>bold World</strong> again.</p>"), encoding="utf-8")
    _translate_accept_export(service, folder, tmp_path / "course.imscc")
    with zipfile.ZipFile(tmp_path / "course.imscc") as zf:
        exported = zf.read("page_001.htm").decode("utf-8")
    assert "<strong>bold World</strong>" in exported and "<strong></strong>" not in exported


def test_with_a_glossary_the_pair_is_placed_and_the_term_kept(service, mover, tmp_path):
    from adapt.glossary import Term

    service.glossary.add(Term("Python", "dnt", "en"))
    lesson = tmp_path / "lesson.md"
    lesson.write_text("Use **bold words** with Python here.\n", encoding="utf-8")
    _translate_accept_export(service, lesson, tmp_path / "out.md")
    exported = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "**bold words**" in exported and "Python" in exported and "****" not in exported
    assert any("[2]" in seen for seen in mover.seen)  # the model saw the term hidden


def test_a_reviewer_edit_that_empties_a_pair_is_warned(service, mover, tmp_path):
    from adapt.review import edit_warnings

    lesson = tmp_path / "lesson.md"
    lesson.write_text("Some **bold words** here.\n", encoding="utf-8")
    summary = service.translate_file(lesson, target="pt", engine="mover", assume_license="CC-BY-4.0")
    [row] = service.review.suggestions(summary.resource_id, task="translate")
    edited = service.review.edit(row.id, "Algumas [1][/1] palavras aqui.", actor="tester")
    assert any("wraps nothing" in w for w in edit_warnings(edited))

