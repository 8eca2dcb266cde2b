"""Alt text of images inline in a paragraph: a segment of its own, written back into the attribute.

Every format (Markdown, HTML, CNXML, DOCX) is checked the same way: the alt text is a segment keyed
`<paragraph key>@img<N>` right after its paragraph; the paragraph keeps the image as a placeholder;
a translation of the alt text changes only the attribute; hostile translations are escaped so that an
independent parser reads back exactly the translated text; an unchanged round trip is byte-identical.
"""

from __future__ import annotations

import io
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from adapt.document import Segment
from adapt.formats.base import UNREVIEWED_MARK, RenderPlan
from adapt.formats.cnxml import CnxmlFormat
from adapt.formats.docx import DocxFormat
from adapt.formats.html import HtmlFormat
from adapt.formats.markdown import MarkdownFormat
from adapt.formats.nested import fold_nested, nested_context
from tests.adapt.formats.formats_xmlcheck import parse, skeleton

HOSTILE = [
    'a "quoted" \'word\'',
    "brackets ] [ and ![not an image](x) and a back\\slash",
    "tags <b>bold</b> & entities &amp; &lt;",
    "two\nlines\r\nand\ta tab",
    "long " + "word " * 3000,
    "stars *not emphasis* _nor this_ `nor code` | pipe",
]


def _alt_segments(doc) -> list[Segment]:
    return [s for s in doc.segments if s.kind == "alt_text"]


def _changed_region(a: bytes, b: bytes) -> tuple[int, int, int]:
    """(common prefix length, common suffix length, len(a)): where two renderings differ."""
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, suffix, len(a)


# -- Markdown -------------------------------------------------------------------------------------

MD = (
    "# Cells\n\n"
    "Text ![a diagram of a *cell*](cell.png) more text ![](empty.png) and ![  ](blank.png) and "
    "![the nucleus \\] inside](n.png \"A title\").\n\n"
    "No alt here: ![](x.png)\n\n"
    "| Part | Picture |\n|---|---|\n| Nucleus | ![a nucleus](n.png) |\n\n"
    "- item ![alt in a list](l.png)\n  continued ![second line alt](m.png)\n\n"
    "[![a linked badge](b.svg)](https://ci.example.org)\n"
)


def _md_alts(data: bytes) -> list[str]:
    """The alt text of every image, as markdown-it (not our segmenter) reads the rendered file."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable(["table"]).render(data.decode("utf-8"))
    return _html_attrs(html.encode(), "img", "alt")


@pytest.fixture
def md_doc():
    return MarkdownFormat().read(Path("cells.md"), MD.encode())


def test_markdown_inline_alt_text_segments(md_doc):
    keys = [(s.key, s.kind) for s in md_doc.segments]
    assert keys[:4] == [("heading-1", "heading"), ("paragraph-1", "paragraph"),
                        ("paragraph-1@img1", "alt_text"), ("paragraph-1@img4", "alt_text")]
    para = md_doc.segment("paragraph-1")
    assert para.text == "Text [1] more text [2] and [3] and [4]."
    assert [p.role for p in para.placeholders] == ["image"] * 4
    assert md_doc.segment("paragraph-1@img1").text == "a diagram of a [1]cell[/1]"
    assert md_doc.segment("paragraph-1@img4").text == "the nucleus [1] inside"  # `\]` is protected
    assert not any(s.key.startswith("paragraph-2@") for s in md_doc.segments)  # empty alt: no segment
    assert md_doc.segment("table_cell-4@img1").text == "a nucleus"
    assert [md_doc.segment(f"list_item-1@img{i}").text for i in (1, 2)] == ["alt in a list", "second line alt"]
    assert md_doc.segment("paragraph-3@img1").text == "a linked badge"
    assert MarkdownFormat().render(md_doc, RenderPlan()) == MD.encode()


def test_markdown_alt_translation_changes_only_the_label(md_doc):
    fmt = MarkdownFormat()
    out = fmt.render(md_doc, RenderPlan(replacements={"paragraph-1@img1": "um diagrama de uma [1]célula[/1]"}))
    assert out == MD.replace("a diagram of a *cell*", "um diagrama de uma *célula*").encode()
    both = fmt.render(md_doc, RenderPlan(replacements={
        "paragraph-1": "Texto [1] mais [2] e [3] e [4].", "paragraph-1@img1": "um diagrama",
        "paragraph-1@img4": "o núcleo [1] dentro"}))
    assert b"Texto ![um diagrama](cell.png) mais ![](empty.png) e ![  ](blank.png) e " \
           b"![o n\xc3\xbacleo \\] dentro](n.png \"A title\")." in both
    assert _md_alts(both)[:4] == ["um diagrama", "", "  ", "o núcleo ] dentro"]


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("key,index", [("paragraph-1@img1", 0), ("table_cell-4@img1", 5), ("list_item-1@img2", 7)])
def test_markdown_hostile_alt_text_reads_back(md_doc, key, index, hostile):
    fmt = MarkdownFormat()
    before = _md_alts(MD.encode())
    parent = key.split("@")[0]
    for replacements in ({key: hostile}, {key: hostile, parent: md_doc.segment(parent).text}):
        out = fmt.render(md_doc, RenderPlan(replacements=replacements))
        again = fmt.read(Path("cells.md"), out)
        assert [s.key for s in again.segments] == [s.key for s in md_doc.segments]  # no markup opened
        alts = _md_alts(out)
        # A label is one line: line breaks become spaces; every other character reads back as written.
        assert alts[index].split() == hostile.split()
        assert alts[:index] + alts[index + 1:] == before[:index] + before[index + 1:]


def test_markdown_unreviewed_alt_text_is_marked(md_doc):
    out = MarkdownFormat().render(md_doc, RenderPlan(replacements={"paragraph-1@img1": "um diagrama"},
                                                     unreviewed=frozenset({"paragraph-1@img1"})))
    assert f"![{UNREVIEWED_MARK}um diagrama](cell.png)".encode() in out
    assert out.startswith(b"> **Note:**")  # the front notice says what the sign means


# -- HTML -----------------------------------------------------------------------------------------

HTML = (
    b'<p id="intro">See <img src="x.png" alt="a cell &amp; its nucleus" title=\'A cell\'> here and '
    b'<a href="u.html"><img src="y.png" alt="second image"></a>, <img src="z.png"> and <img src="e.png" alt="">'
    b' and <img src="w.png" alt="   ">.</p>\n'
    b'<p><img src="only.png" alt="only an image"></p>\n'
    b'<p>Hidden <noscript><img src="t.gif" alt="tracking pixel"></noscript> text.</p>\n'
    b'<figure><img src="f.png" alt="a standalone figure image"></figure>\n'
)


def _html_attrs(data: bytes, tag: str, attr: str) -> list[str]:
    found: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, name, attrs):
            if name == tag:
                found.append(dict(attrs).get(attr) or "")

    Collect(convert_charrefs=True).feed(data.decode("utf-8"))
    return found


@pytest.fixture
def html_doc():
    return HtmlFormat().read(Path("page.html"), HTML)


def test_html_inline_alt_and_title_segments(html_doc):
    keys = [s.key for s in html_doc.segments]
    assert keys == ["#intro", "#intro@img1", "#intro@img1.title", "#intro@img2", "p[2]", "p[2]@img1", "p[3]",
                    "figure/img@alt"]
    assert html_doc.segment("#intro").text == "See [1] here and [2], [3] and [4] and [5]."
    assert html_doc.segment("#intro@img1").text == "a cell & its nucleus"
    assert html_doc.segment("#intro@img1.title").context["attribute"] == "title"
    assert not html_doc.segment("p[2]").translatable and html_doc.segment("p[2]@img1").translatable
    assert all("tracking" not in s.text for s in html_doc.segments)  # inside <noscript>: never text
    assert HtmlFormat().render(html_doc, RenderPlan()) == HTML


def test_html_alt_translation_changes_only_the_attribute(html_doc):
    out = HtmlFormat().render(html_doc, RenderPlan(replacements={"#intro@img2": "segunda imagem"}))
    assert out == HTML.replace(b'alt="second image"', b'alt="segunda imagem"')
    both = HtmlFormat().render(html_doc, RenderPlan(replacements={
        "#intro": "Veja [1] aqui e [2], [3] e [4] e [5].", "#intro@img1": "uma célula & o núcleo",
        "#intro@img1.title": "Uma célula", "#intro@img2": "segunda imagem"}))
    assert both.startswith('<p id="intro">Veja <img src="x.png" alt="uma célula &amp; o núcleo" '
                           "title='Uma célula'> aqui e <a href=\"u.html\"><img src=\"y.png\" alt=\"segunda imagem\">"
                           "</a>, ".encode())


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("key,index,attr", [("#intro@img1", 0, "alt"), ("#intro@img1.title", 0, "title"),
                                            ("#intro@img2", 1, "alt"), ("p[2]@img1", 5, "alt")])
def test_html_hostile_alt_text_reads_back(html_doc, key, index, attr, hostile):
    parent = key.split("@")[0]
    for replacements in ({key: hostile}, {key: hostile, parent: html_doc.segment(parent).text}):
        out = HtmlFormat().render(html_doc, RenderPlan(replacements=replacements))
        assert _html_attrs(out, "img", attr)[index] == hostile
        assert _html_attrs(out, "img", "src") == _html_attrs(HTML, "img", "src")  # no element added or lost
        again = HtmlFormat().read(Path("page.html"), out)
        assert [s.key for s in again.segments] == [s.key for s in html_doc.segments]


def test_html_unreviewed_alt_text_is_marked_in_the_attribute(html_doc):
    out = HtmlFormat().render(html_doc, RenderPlan(replacements={"p[2]@img1": "só uma imagem"},
                                                   unreviewed=frozenset({"p[2]@img1"})))
    assert _html_attrs(out, "img", "alt")[5] == UNREVIEWED_MARK + "só uma imagem"
    assert b"adapt-notice" in out


# -- CNXML ----------------------------------------------------------------------------------------

CNXML = b"""<?xml version="1.0" encoding="UTF-8"?>
<document xmlns="http://cnx.rice.edu/cnxml" id="m1"><title>Cells</title><content>
<para id="p1">A cell <media id="m" alt="A drawing of a cell &amp; its &quot;nucleus&quot;"><image src="a.png" mime-type="image/png"/></media> is small, <media id="m2" alt=""><image src="b.png" mime-type="image/png"/></media> and <media id="m3" alt='Another small picture'><image src="c.png" mime-type="image/png"/></media>.</para>
<figure id="f"><media id="f-m" alt="A standalone figure image"><image src="d.png" mime-type="image/png"/></media></figure>
</content></document>"""


def _cnxml_alts(data: bytes) -> list[str]:
    return [el.get("alt") for el in parse(data).iter("{http://cnx.rice.edu/cnxml}media")]


@pytest.fixture
def cnxml_doc():
    return CnxmlFormat().read(Path("index.cnxml"), CNXML)


def test_cnxml_inline_media_alt_segments(cnxml_doc):
    keys = [s.key for s in cnxml_doc.segments]
    assert keys == ["index:m1/title", "index:p1", "index:p1@img1", "index:p1@img3", "index:f-m@alt"]
    assert cnxml_doc.segment("index:p1").text == "A cell [1] is small, [2] and [3]."
    assert cnxml_doc.segment("index:p1@img1").text == 'A drawing of a cell & its "nucleus"'
    assert CnxmlFormat().render(cnxml_doc, RenderPlan()) == CNXML


def test_cnxml_alt_translation_changes_only_the_attribute(cnxml_doc):
    out = CnxmlFormat().render(cnxml_doc, RenderPlan(replacements={"index:p1@img3": "Outra pequena imagem"}))
    assert out == CNXML.replace(b"alt='Another small picture'", b"alt='Outra pequena imagem'")
    both = CnxmlFormat().render(cnxml_doc, RenderPlan(replacements={
        "index:p1": "Uma célula [1] é pequena, [2] e [3].", "index:p1@img1": "Desenho de uma célula"}))
    assert skeleton(both) == skeleton(CNXML)
    assert _cnxml_alts(both) == ["Desenho de uma célula", "", "Another small picture", "A standalone figure image"]
    assert "Uma célula" in "".join(parse(both).itertext())


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("key,index", [("index:p1@img1", 0), ("index:p1@img3", 2)])
def test_cnxml_hostile_alt_text_reads_back(cnxml_doc, key, index, hostile):
    # XML turns a raw line break in an attribute into a space: written as a reference, it stays.
    for replacements in ({key: hostile}, {key: hostile, "index:p1": cnxml_doc.segment("index:p1").text}):
        out = CnxmlFormat().render(cnxml_doc, RenderPlan(replacements=replacements))
        assert _cnxml_alts(out)[index] == hostile
        assert skeleton(out) == skeleton(CNXML)


def test_cnxml_characters_xml_cannot_hold_are_dropped(cnxml_doc):
    out = CnxmlFormat().render(cnxml_doc, RenderPlan(replacements={"index:p1@img1": "bad\x00\x1b chars\x0b"}))
    assert _cnxml_alts(out)[0] == "bad chars"


def test_cnxml_unreviewed_alt_text_is_marked(cnxml_doc):
    out = CnxmlFormat().render(cnxml_doc, RenderPlan(replacements={"index:p1@img1": "Desenho"},
                                                     unreviewed=frozenset({"index:p1@img1"})))
    assert _cnxml_alts(out)[0] == UNREVIEWED_MARK + "Desenho"
    assert skeleton(out) == skeleton(CNXML)


def test_cnxml_openstax_table_images_alt_text(shared):
    from adapt.formats import read_document, render_document

    doc, data = read_document(shared / "oer/openstax-intro-python/modules/m00113/index.cnxml", max_bytes=1 << 26)
    key = "m00113:table-00101/tgroup/tbody/row[3]/entry[2]"
    keys = [s.key for s in doc.segments]
    assert keys[keys.index(key) + 1] == f"{key}@img1"
    assert doc.segment(f"{key}@img1").text == "Bar chart example"
    out = render_document(doc, RenderPlan(replacements={f"{key}@img1": "Exemplo de gráfico de barras"}))
    assert skeleton(out) == skeleton(data)
    assert "Exemplo de gráfico de barras" in _cnxml_alts(out)


# -- DOCX -----------------------------------------------------------------------------------------


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


@pytest.fixture
def docx_sample(tmp_path):
    import docx

    d = docx.Document()
    p = d.add_paragraph("See the picture ")
    for text in (" of a cell, ", " without a description, ", " and a blank one."):
        p.add_run().add_picture(io.BytesIO(_png()))
        p.add_run(text)
    d.add_paragraph().add_run().add_picture(io.BytesIO(_png()))
    shapes = d.inline_shapes
    shapes[0]._inline.docPr.set("descr", 'A cell & its "nucleus"')
    shapes[2]._inline.docPr.set("descr", "   ")
    shapes[3]._inline.docPr.set("descr", "A picture alone in its paragraph")
    path = tmp_path / "cells.docx"
    d.save(path)
    data = path.read_bytes()
    return data, DocxFormat().read(path, data)


def _docx_descrs(data: bytes) -> list[str | None]:
    import docx

    return [s._inline.docPr.get("descr") for s in docx.Document(io.BytesIO(data)).inline_shapes]


def test_docx_inline_picture_description_segments(docx_sample):
    data, doc = docx_sample
    assert [(s.key, s.kind) for s in doc.segments] == [
        ("body/p[1]", "paragraph"), ("body/p[1]@img1", "alt_text"), ("body/p[2]", "paragraph"),
        ("body/p[2]@img1", "alt_text")]
    assert doc.segment("body/p[1]").text == ("See the picture [1] of a cell, [2] without a description, "
                                             "[3] and a blank one.")
    assert doc.segment("body/p[1]@img1").text == 'A cell & its "nucleus"'
    assert DocxFormat().render(doc, RenderPlan()) == data


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_docx_alt_translation_changes_only_the_description(docx_sample, hostile):
    import docx

    data, doc = docx_sample
    for replacements in ({"body/p[1]@img1": hostile},
                         {"body/p[1]@img1": hostile, "body/p[1]": "Veja [1] de uma célula, [2] sem, [3] e fim."}):
        out = DocxFormat().render(doc, RenderPlan(replacements=replacements))
        assert _docx_descrs(out) == [hostile, None, "   ", "A picture alone in its paragraph"]
        text = docx.Document(io.BytesIO(out)).paragraphs[0].text
        assert text == ("Veja  de uma célula,  sem,  e fim." if "body/p[1]" in replacements else
                        "See the picture  of a cell,  without a description,  and a blank one.")


def test_docx_unreviewed_and_invalid_characters(docx_sample):
    data, doc = docx_sample
    out = DocxFormat().render(doc, RenderPlan(replacements={"body/p[2]@img1": "Uma imagem\x01 só"},
                                              unreviewed=frozenset({"body/p[2]@img1"})))
    assert _docx_descrs(out)[3] == UNREVIEWED_MARK + "Uma imagem só"


# -- the shared folding ---------------------------------------------------------------------------


def test_fold_nested_writes_into_the_parent_placeholder_only_when_the_parent_is_replaced():
    from adapt.document import Placeholder

    parent = Segment("p", "paragraph", "See [1].", (Placeholder(1, "atom", "image", '<img alt="x">'),), span=(0, 20))
    alt = Segment("p@img1", "alt_text", "x", span=(10, 11), context={"nested": nested_context("p", 1, 10, 11)})
    value = lambda seg, new: new.upper()  # noqa: E731
    alone = fold_nested([parent, alt], RenderPlan(replacements={"p@img1": "y"}), value)
    assert alone == [parent, alt]  # spliced at its own span
    folded = fold_nested([parent, alt], RenderPlan(replacements={"p@img1": "y", "p": "Veja [1]."}), value)
    assert [s.key for s in folded] == ["p"] and folded[0].placeholder(1).raw == '<img alt="Y">'


def test_markdown_alt_text_over_lines_in_a_quote():
    src = b"> quoted ![an alt\n> over lines](q.png) end\n\n- item ![list\n  alt two](l.png)\n"
    fmt = MarkdownFormat()
    doc = fmt.read(Path("q.md"), src)
    assert doc.segment("quote-1@img1").text == "an alt over lines"
    assert doc.segment("list_item-1@img1").text == "list alt two"
    out = fmt.render(doc, RenderPlan(replacements={"quote-1@img1": "novo\ntexto", "list_item-1@img1": "lista"}))
    assert out == b"> quoted ![novo texto](q.png) end\n\n- item ![lista](l.png)\n"
    assert fmt.render(doc, RenderPlan()) == src


MD_HTML = ('Text <img src="a.png" alt="an &quot;html&quot; image" width=20> and ![md alt](b.png) '
           "<IMG SRC=x ALT='upper case' title=\"A title\">.\n\n"
           '| Part | Picture |\n|---|---|\n| Cell | <img src="c.png" alt="a cell"> |\n')


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_markdown_inline_html_img_alt_text(hostile):
    fmt = MarkdownFormat()
    doc = fmt.read(Path("h.md"), MD_HTML.encode())
    assert [s.key for s in doc.segments if s.kind == "alt_text"] == [
        "paragraph-1@img1", "paragraph-1@img2", "paragraph-1@img3", "paragraph-1@img3.title", "table_cell-4@img1"]
    assert doc.segment("paragraph-1@img1").text == 'an "html" image'
    assert fmt.render(doc, RenderPlan()) == MD_HTML.encode()
    before = _md_alts(MD_HTML.encode())
    for key, index in (("paragraph-1@img1", 0), ("paragraph-1@img3", 2), ("table_cell-4@img1", 3)):
        parent = key.split("@")[0]
        for replacements in ({key: hostile}, {key: hostile, parent: doc.segment(parent).text}):
            out = fmt.render(doc, RenderPlan(replacements=replacements))
            alts = _md_alts(out)
            assert alts[index] == hostile.replace("\r\n", "\n") or alts[index] == hostile
            assert alts[:index] + alts[index + 1:] == before[:index] + before[index + 1:]
            assert [s.key for s in fmt.read(Path("h.md"), out).segments] == [s.key for s in doc.segments]


@pytest.mark.parametrize("fmt,name,src,key,index", [
    (HtmlFormat(), "u.html", b"<p>See <img src=x.png alt=cell> and <img src=y alt=a&amp;b>.</p>\n", "p@img2", 1),
    (MarkdownFormat(), "u.md", b"Text <img src=x.png alt=cell> and <img src=y alt=a&amp;b> here.\n",
     "paragraph-1@img2", 1),
])
@pytest.mark.parametrize("hostile", HOSTILE[:4], ids=range(4))
def test_unquoted_alt_text_is_quoted_when_replaced(fmt, name, src, key, index, hostile):
    doc = fmt.read(Path(name), src)
    assert doc.segment(key).text == "a&b" and doc.segment(key).context["unquoted"]
    assert fmt.render(doc, RenderPlan()) == src
    parent = key.split("@")[0]
    for replacements in ({key: hostile}, {key: hostile, parent: doc.segment(parent).text}):
        out = fmt.render(doc, RenderPlan(replacements=replacements))
        if fmt.name == "markdown":
            from markdown_it import MarkdownIt

            out = MarkdownIt("commonmark").render(out.decode()).encode()  # inline HTML stays as written
        alts = _html_attrs(out, "img", "alt")
        assert alts[index] in (hostile, hostile.replace("\r\n", "\n")) and alts[0] == "cell"
        assert _html_attrs(out, "img", "src") == ["x.png", "y"]


def test_html_unquoted_lang_is_quoted_when_replaced():
    fmt = HtmlFormat()
    doc = fmt.read(Path("l.html"), b"<html lang=en><body><p>Some text here.</p></body></html>")
    out = fmt.render(doc, RenderPlan(target_language="pt-BR"))
    assert out.startswith(b'<html lang="pt-BR"><body>')


# -- through the service: real SQLite, accepted and unreviewed text ------------------------------


@pytest.mark.parametrize("name,src", [
    ("page.html", b'<p>A cell <img src="c.png" alt="a drawing of a cell"> is small.</p>\n'),
    ("cells.md", b"A cell ![a drawing of a cell](c.png) is small.\n"),
])
def test_export_writes_accepted_alt_text_and_marks_unreviewed(service, tmp_path, name, src):
    from adapt.formats import parse_stored
    from adapt.store import NewSuggestion

    fmt = "html" if name.endswith(".html") else "markdown"
    rid = service.import_document(parse_stored(fmt, name, src), src, language="en", license="CC-BY-4.0",
                                  owner="tina").resource_id
    segs = {s.key.split("@")[-1] if "@" in s.key else "para": s for s in service.store.segments(rid)}
    assert segs["img1"].kind == "alt_text" and segs["img1"].position == segs["para"].position + 1
    alt_id, para_id = service.store.add_suggestions([
        NewSuggestion(rid, segs["img1"].id, "translate", "pt", segs["img1"].source_text, "um desenho de uma célula",
                      {"model": "hand-written test suggestion"}),
        NewSuggestion(rid, segs["para"].id, "translate", "pt", segs["para"].source_text,
                      "Uma célula [1] é pequena.", {"model": "hand-written test suggestion"})])
    service.store.accept(alt_id, actor="tina")
    out = tmp_path / f"out-{name}"
    service.export(rid, out, target_language="pt")
    data = out.read_bytes()
    assert "um desenho de uma célula".encode() in data and b"A cell " in data  # the paragraph is pending
    assert UNREVIEWED_MARK.encode() not in data
    service.export(rid, out, target_language="pt", include_unreviewed=True)
    data = out.read_bytes().decode()
    assert "Uma célula" in data and "um desenho de uma célula" in data  # folded into the new paragraph
    assert f"{UNREVIEWED_MARK}um desenho" not in data and "⚠" in data  # only the paragraph is unreviewed


def test_imscc_page_inline_alt_text(tmp_path):
    import shutil

    from adapt.formats import read_document, render_document
    from adapt.formats.zipsafe import open_zip
    from tests.conftest import shared_data

    folder = tmp_path / "course"
    shutil.copytree(shared_data() / "packages/imscc/data_imscc_profilev1p0/sample_1", folder)
    page = folder / "page_001.htm"
    page.write_text(page.read_text().replace(
        "<p>Hello World</p>", '<p>Hello <img src="media/w.png" alt="a small round world"> World</p>'))
    doc, data = read_document(folder, max_bytes=1 << 26)
    key = "page_001.htm:html/body/p"
    keys = [s.key for s in doc.segments]
    assert keys[keys.index(key) + 1] == f"{key}@img1"
    assert render_document(doc, RenderPlan()) == data
    for replacements in ({f"{key}@img1": 'um "mundo" pequeno'},
                         {f"{key}@img1": 'um "mundo" pequeno', key: "Olá [1] Mundo"}):
        out = render_document(doc, RenderPlan(replacements=replacements))
        html = open_zip(out, "out").read("page_001.htm")
        assert _html_attrs(html, "img", "alt") == ['um "mundo" pequeno']
        assert (b"Ol\xc3\xa1 <img" in html) == (key in replacements)
