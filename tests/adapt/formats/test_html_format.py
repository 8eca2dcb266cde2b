"""HTML pages and fragments: block segmentation, inline placeholders, scripts untouched, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapt.formats.base import RenderPlan
from adapt.formats.html import HtmlFormat, sanitized_preview

PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Cells &amp; life</title>
<meta name="author" content="Ada Lovelace">
<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">
<style>p { color: red }</style>
<script>var html = "<p>Do not translate me</p>";</script>
</head>
<body>
  <h1 id="top">The <em>cell</em></h1>
  <p>A cell is <a href="unit.html">the <b>basic</b> unit</a> of life.<br>It holds <code>DNA</code> &amp; more.
  <ul><li>One<li>Two <img src="a.png" alt="a cell"></ul>
  <figure id="fig1"><img src="b.png" alt="a drawing of a plant cell"><figcaption>A plant cell (credit: X)</figcaption></figure>
  <pre>for x in cells: print(x)</pre>
  <table><tr><th>Part<th>Role<tr><td>Nucleus<td>Holds the DNA</table>
  <script>document.write("<p>nor me</p>")</script>
</body></html>
"""


@pytest.fixture
def doc():
    return HtmlFormat().read(Path("page.html"), PAGE)


def test_html_identity_round_trip_is_byte_identical(doc):
    assert HtmlFormat().render(doc, RenderPlan()) == PAGE


def test_html_crlf_and_fragment_round_trip():
    fragment = b"<p>One <i>two</i></p>\r\n<p>Three &lt; four</p>\r\n"
    fmt = HtmlFormat()
    d = fmt.read(Path("f.htm"), fragment)
    assert [s.text for s in d.segments] == ["One [1]two[/1]", "Three < four"]
    assert fmt.render(d, RenderPlan()) == fragment
    out = fmt.render(d, RenderPlan(replacements={d.segments[1].key: "Três < quatro"}))
    assert out == b"<p>One <i>two</i></p>\r\n<p>Tr\xc3\xaas &lt; quatro</p>\r\n"


def test_html_segments_blocks_and_placeholders(doc):
    texts = {s.key: s.text for s in doc.segments}
    assert texts["html/head/title"] == "Cells & life"
    assert texts["#top"] == "The [1]cell[/1]"
    para = next(s for s in doc.segments if s.text.startswith("A cell is"))
    assert para.text == "A cell is [1]the [2]basic[/2] unit[/1] of life.[3]It holds [4] & more."
    roles = [p.role for p in para.placeholders]
    assert roles == ["link", "strong", "break", "code"]
    assert all("translate me" not in s.text and "nor me" not in s.text for s in doc.segments)
    assert not any("for x in cells" in s.text for s in doc.segments)
    inline_alt, alt = [s for s in doc.segments if s.kind == "alt_text"]
    assert inline_alt.text == "a cell" and inline_alt.key.endswith("@img1")  # inline in the list item
    assert alt.text == "a drawing of a plant cell" and alt.context["figure_id"] == "fig1"
    caption = next(s for s in doc.segments if s.kind == "caption")
    assert caption.context["figure_id"] == "fig1"
    assert [s.text for s in doc.segments if s.kind == "table_cell"] == ["Part", "Role", "Nucleus", "Holds the DNA"]
    assert doc.metadata == {"title": "Cells & life", "language": "en", "authors": ["Ada Lovelace"],
                            "license_url": "https://creativecommons.org/licenses/by/4.0/"}


def test_html_translation_keeps_markup_scripts_and_marks_unreviewed(doc):
    para = next(s for s in doc.segments if s.text.startswith("A cell is"))
    plan = RenderPlan(
        replacements={para.key: "Uma célula é [1]a unidade [2]básica[/2][/1] da vida.[3]Contém [4] & mais.",
                      "#top": "A [1]célula[/1]"},
        unreviewed=frozenset({"#top"}), target_language="pt", notices=("Adapted from Cells & life.",))
    out = HtmlFormat().render(doc, plan).decode()
    assert '<html lang="pt">' in out
    assert '<a href="unit.html">a unidade <b>básica</b></a> da vida.<br>Contém <code>DNA</code> &amp; mais.' in out
    assert '<mark class="adapt-unreviewed"' in out and "A <em>célula</em>" in out
    assert 'class="adapt-notice"' in out and "Adapted from Cells &amp; life." in out
    assert out.index("adapt-notice") > out.index("<body>")
    assert 'var html = "<p>Do not translate me</p>";' in out and 'document.write("<p>nor me</p>")' in out


def test_html_escapes_model_text_and_survives_lost_placeholders(doc):
    para = next(s for s in doc.segments if s.text.startswith("A cell is"))
    out = HtmlFormat().render(doc, RenderPlan(replacements={para.key: "<script>x</script> [/1] sem marcas"})).decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in out
    # Every inline element of the source is still there, once, in order, except the bold pair whose words
    # the text lost: left out rather than written empty (issue 15, adapt.empty_markup).
    for tag in ('<a href="unit.html">', "</a>", "<br>", "<code>DNA</code>"):
        assert out.count(tag) == PAGE.decode().count(tag)
    assert "<b></b>" not in out and "<b>" not in out


def test_html_sanitized_preview_drops_scripts():
    assert "script" not in sanitized_preview('<p onclick="x()">Hi<script>alert(1)</script></p>')


@pytest.mark.parametrize("data", [b"", b"   ", b"<", b"<p", b"</p></div>", b"<!-- only a comment -->",
                                  b"<p>unclosed <b>bold", b"\xef\xbb\xbf<p>BOM</p>"])
def test_html_odd_input_never_crashes_and_round_trips(data):
    fmt = HtmlFormat()
    d = fmt.read(Path("odd.html"), data)
    assert fmt.render(d, RenderPlan()) == data
