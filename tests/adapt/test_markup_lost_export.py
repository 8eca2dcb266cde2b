"""Issue 15: a pair the model drops together with its words ("lost"), or one left around nothing, never
becomes an empty element in an export: not `<term></term>`, `<strong></strong>`, "****" or an empty DOCX
hyperlink. The element is left out (adapt.empty_markup) and the suggestion keeps its QA flag."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from lxml import etree

from adapt.empty_markup import drop_empty_pairs, empty_in
from models.signature import ModelSignature

GONE = "gone"  # the word this model cannot translate: it drops it, and markup wrapping only it


class DroppingTranslator:
    """A model with the fault behind the remaining empty elements: it copies its input but drops the word
    "gone" together with a pair wrapping only it ("a [1]gone[/1] b" -> "a b"), also when the markup is
    hidden, so placement (alignment, matching, retranslation) has nothing to put the pair on."""

    name = "dropper"

    def pairs(self):
        return [("en", "pt")]

    def supports(self, source, target):
        return (source, target) == ("en", "pt")

    def translate(self, texts, *, source, target):
        out = []
        for text in texts:
            text = re.sub(r" ?\[(\d{1,4})\]" + GONE + r"\[/\1\]", "", text)
            out.append(re.sub(r" ?\b" + GONE + r"\b", "", text))
        return out

    def signature(self, source, target):
        return ModelSignature("dropper", "issue-15")


@pytest.fixture
def dropper(service):
    fake = DroppingTranslator()
    service.engines.use_translator(fake, "dropper")
    return fake


def _translate_accept_export(service, path: Path, out: Path):
    summary = service.translate_file(path, target="pt", engine="dropper", assume_license="CC-BY-4.0")
    rows = service.review.suggestions(summary.resource_id, task="translate")
    service.review.accept_all(summary.resource_id, actor="tester")
    service.export(summary.resource_id, out)
    return summary.resource_id, rows


def _flagged_lost(rows) -> list:
    return [r for r in rows if any(f["code"] == "placeholder-missing" for f in r.qa_flags)]


def test_markdown_lost_pair_is_not_exported_empty(service, dropper, tmp_path):
    lesson = tmp_path / "lesson.md"
    lesson.write_text("# Words\n\nSome **gone** words and *kept words* here.\n", encoding="utf-8")
    _, rows = _translate_accept_export(service, lesson, tmp_path / "out.md")
    [line] = [x for x in (tmp_path / "out.md").read_text(encoding="utf-8").splitlines() if "words" in x]
    assert line == "Some words and *kept words* here."  # not "Some **** words"
    assert len(_flagged_lost(rows)) == 1  # the reviewer is still told the bold word went


def test_markdown_pair_a_reviewer_emptied_is_not_exported_empty(service, dropper, tmp_path):
    from adapt.review import edit_warnings

    lesson = tmp_path / "lesson.md"
    lesson.write_text("Some **bold** words here.\n", encoding="utf-8")
    summary = service.translate_file(lesson, target="pt", engine="dropper", assume_license="CC-BY-4.0")
    [row] = service.review.suggestions(summary.resource_id, task="translate")
    edited = service.review.edit(row.id, "Algumas [1][/1] palavras aqui.", actor="tester")
    assert any("wraps nothing" in w for w in edit_warnings(edited))  # the reviewer is warned, as before
    service.review.accept_all(summary.resource_id, actor="tester")
    service.export(summary.resource_id, tmp_path / "out.md")
    [line] = [x for x in (tmp_path / "out.md").read_text(encoding="utf-8").splitlines() if "palavras" in x]
    assert line == "Algumas palavras aqui."


def test_html_lost_pair_is_not_exported_empty(service, dropper, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Some <strong>gone</strong> words and <em>kept words</em> here.</p>"
                    "<p>A <a href='x.html'>gone</a> link.</p></body></html>", encoding="utf-8")
    _, rows = _translate_accept_export(service, page, tmp_path / "out.html")
    exported = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "<strong></strong>" not in exported and "></a>" not in exported
    assert "Some words and <em>kept words</em> here." in exported and "A link." in exported
    assert len(_flagged_lost(rows)) == 2


CNXML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<document xmlns="http://cnx.rice.edu/cnxml" xmlns:md="http://cnx.rice.edu/mdml" id="m1" module-id="m1"'
    ' cnxml-version="0.7">\n<title>History</title>\n<metadata><md:title>History</md:title>'
    '<md:license url="http://creativecommons.org/licenses/by/4.0/">CC BY 4.0</md:license>'
    '<md:language>en</md:language></metadata>\n'
    '<content><para id="p1">In the 14<sup>gone</sup> century a <term id="t1">key term</term> and a'
    ' <term id="t2">gone</term> term, <emphasis effect="italics">italic words</emphasis> here.</para>'
    '<para id="p2">An anchor <link target-id="p1"/> stays as it was.</para></content>\n</document>\n'
)


def test_cnxml_lost_pairs_are_not_exported_empty(service, dropper, tmp_path):
    module = tmp_path / "index.cnxml"
    module.write_text(CNXML, encoding="utf-8")
    _, rows = _translate_accept_export(service, module, tmp_path / "out.cnxml")
    exported = (tmp_path / "out.cnxml").read_bytes()
    root = etree.fromstring(exported)
    ns = "{http://cnx.rice.edu/cnxml}"
    empty = [etree.QName(el).localname for el in root.iter(f"{ns}term", f"{ns}sup", f"{ns}emphasis")
             if not (el.text or "").strip() and not len(el)]
    assert empty == []
    assert [el.get("id") for el in root.iter(f"{ns}term")] == ["t1"]  # t2 lost its word: left out
    assert root.find(f".//{ns}link").get("target-id") == "p1"  # empty in the source: kept as it was
    text = exported.decode("utf-8")
    assert "In the 14 century a" in text and "and a term," in text
    assert len(_flagged_lost(rows)) == 1


def test_docx_lost_bold_run_is_not_exported_empty(service, dropper, tmp_path):
    d = docx.Document()
    d.core_properties.language = "en"
    p = d.add_paragraph("A ")
    p.add_run("gone").bold = True
    p.add_run(" word and a ")
    p.add_run("bold word").bold = True
    p.add_run(".")
    d.save(tmp_path / "words.docx")
    _, rows = _translate_accept_export(service, tmp_path / "words.docx", tmp_path / "out.docx")
    [para] = [p for p in docx.Document(str(tmp_path / "out.docx")).paragraphs if "word and" in p.text]
    assert para.text == "A word and a bold word."
    assert [r.text for r in para.runs if r.bold] == ["bold word"]
    assert len(_flagged_lost(rows)) == 1


def test_docx_emptied_hyperlink_is_not_rebuilt_empty():
    from adapt.formats.docx import R_NS, W, _rebuild, segment_paragraph, w

    p = etree.Element(w("p"), nsmap={"w": W, "r": R_NS})
    etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = "See "
    link = etree.SubElement(p, w("hyperlink"))
    link.set(f"{{{R_NS}}}id", "rId7")
    etree.SubElement(etree.SubElement(link, w("r")), w("t")).text = "the page"
    etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = " now."
    builder, info = segment_paragraph(p)
    assert builder.text == "See [1]the page[/1] now."
    _rebuild(info, "Veja [1][/1] agora.", unreviewed=False, source_text=builder.text)
    assert p.findall(w("hyperlink")) == []
    assert "".join(p.itertext()) == "Veja agora."
    _rebuild(info, "Veja [1]a página[/1] agora.", unreviewed=False, source_text=builder.text)
    assert [("".join(h.itertext())) for h in p.findall(w("hyperlink"))] == ["a página"]


@pytest.mark.parametrize(("text", "expected"), [
    ("[1][/1] palavras e [2]x[/2], y", "palavras e [2]x[/2], y"),  # at the start: no leading space
    ("a [1][/1] b", "a b"),
    ("seção [2][/2], os", "seção, os"),  # no space before punctuation
    ("a[1] [/1]b", "a b"),
    ("a[1][/1]b", "ab"),  # glued in the text: stays glued
    ("x [1][2][/2][/1] y", "x y"),  # an outer pair left around an emptied inner one goes too
    ("fim [1][/1]", "fim"),
    ("a [3][/3] b [1][/1]", "a [3][/3] b"),  # empty in the source too (an anchor): kept
    ("a [7][/7] b", "a [7][/7] b"),  # not a pair of this segment: not ours to touch
    ("a [1][4][/1] b", "a [1][4][/1] b"),  # wraps an atom: not empty
])
def test_drop_empty_pairs(text, expected):
    source = "Um [1]termo [4][/1] e [2]outro[/2], e [3][/3] fim"
    assert drop_empty_pairs(text, source, {1, 2, 3}) == expected


def test_empty_in():
    assert empty_in("a [1] [/1] b", 1) and empty_in("a b", 1) and empty_in("a [1]b", 1)
    assert not empty_in("a [1]b[/1]", 1) and not empty_in("[1][2][/1]", 1)
