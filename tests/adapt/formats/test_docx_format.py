"""DOCX: paragraphs, headings, lists, tables, headers and footers; run formatting survives translation."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from adapt.formats.base import RenderPlan
from adapt.formats.docx import DocxFormat


def make_docx(path: Path) -> Path:
    d = docx.Document()
    d.core_properties.author = "Ada Lovelace"
    d.core_properties.title = "Cells"
    d.core_properties.language = "en"
    d.add_heading("The cell", level=1)
    p = d.add_paragraph("A cell is the ")
    p.add_run("basic unit").bold = True
    p.add_run(" of life. Water is H")
    p.add_run("2").font.subscript = True
    p.add_run("O.\tEnd")
    d.add_paragraph("First item of the list", style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Part", (0, 1): "Function", (1, 0): "Nucleus", (1, 1): "Holds the DNA"}.items():
        table.cell(r, c).text = text
    d.sections[0].header.paragraphs[0].text = "Biology unit one"
    d.sections[0].footer.paragraphs[0].text = "Page footer text"
    d.save(path)
    return path


@pytest.fixture
def sample(tmp_path):
    path = make_docx(tmp_path / "cells.docx")
    return path, DocxFormat().read(path, path.read_bytes())


def test_docx_segments(sample):
    _, doc = sample
    by_key = {s.key: s for s in doc.segments}
    assert by_key["body/p[1]"].kind == "heading" and by_key["body/p[1]"].text == "The cell"
    para = by_key["body/p[2]"]
    assert para.text == "A cell is the [1]basic unit[/1] of life. Water is H[2]2[/2]O.[3]End"
    assert [p.role for p in para.placeholders] == ["strong", "sub", "tab"]
    assert by_key["body/p[3]"].kind == "list_item"
    assert [s.text for s in doc.segments if s.kind == "table_cell"] == ["Part", "Function", "Nucleus", "Holds the DNA"]
    assert by_key["header1/p[1]"].text == "Biology unit one" and by_key["footer1/p[1]"].kind == "footer"
    assert doc.metadata == {"title": "Cells", "language": "en", "authors": ["Ada Lovelace"]}


def test_docx_identity_round_trip_is_byte_identical(sample):
    path, doc = sample
    assert DocxFormat().render(doc, RenderPlan()) == path.read_bytes()


def test_docx_translation_keeps_run_formatting(sample):
    _, doc = sample
    plan = RenderPlan(
        replacements={"body/p[2]": "Uma célula é a [1]unidade básica[/1] da vida. A água é H[2]2[/2]O.[3]Fim",
                      "body/tbl[1]/r2c2/p[1]": "Contém o DNA", "header1/p[1]": "Biologia, unidade um"},
        unreviewed=frozenset({"header1/p[1]"}), target_language="pt", notices=("Adapted from Cells.",))
    out = docx.Document(io.BytesIO(DocxFormat().render(doc, plan)))
    runs = [(r.text, bool(r.bold), bool(r.font.subscript)) for r in out.paragraphs[2].runs]
    assert runs == [("Uma célula é a ", False, False), ("unidade básica", True, False),
                    (" da vida. A água é H", False, False), ("2", False, True), ("O.", False, False),
                    ("\t", False, False), ("Fim", False, False)]
    assert "Adapted from Cells." in out.paragraphs[0].text  # the notice comes first
    assert out.tables[0].cell(1, 1).text == "Contém o DNA"
    assert out.sections[0].header.paragraphs[0].text == "⚠ Biologia, unidade um"
    assert out.core_properties.language == "pt" and "Adapted from Cells." in out.core_properties.comments
    assert out.paragraphs[1].style.name.startswith("Heading")  # paragraph styles untouched


def test_docx_read_again_after_render(sample, tmp_path):
    _, doc = sample
    data = DocxFormat().render(doc, RenderPlan(replacements={"body/p[1]": "A célula"}))
    again = DocxFormat().read(Path("x.docx"), data)
    assert again.segment("body/p[1]").text == "A célula"


def test_docx_same_text_round_trip_is_canonical_equal(sample):
    from adapt.formats.docx import canonical

    path, doc = sample
    unchanged = RenderPlan(replacements={"body/p[1]": doc.segment("body/p[1]").text})
    out = DocxFormat().render(doc, unchanged)
    assert canonical(out) == canonical(path.read_bytes())  # re-saved and rebuilt: the same document
