"""Property-based fuzzing of every reader (hypothesis, derandomized, fixed example counts, no deadline):
whatever the bytes, a reader gives a Document or a user error (exit 1), never anything else."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapt import limits
from adapt.errors import AdaptError
from adapt.formats import handler_by_name

FUZZ = settings(derandomize=True, max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SMALL = limits.InputLimits(max_segment_chars=2000, max_depth=40, max_segments=200, max_inline=60,
                           max_attribute_chars=500)


def _read(format_name: str, name: str, data: bytes) -> None:
    """Read with small limits, so that the limits are crossed often; only user errors may come out."""
    with limits.using(SMALL):
        try:
            doc = handler_by_name(format_name).read(Path(name), data)
        except AdaptError as exc:
            assert exc.exit_code == 1, exc.one_line()
            return
    for seg in doc.segments:  # what a reader gives must be usable: placeholders restore to text
        seg.restore(seg.text)


def _pieces(tokens: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(tokens), st.text(max_size=6)), max_size=60).map("".join)


MD_TOKENS = ["*", "_", "**", "`", "[", "]", "(", ")", "![", "](x)", "<", ">", "</", "&amp;", "&#", ";", "$", "$$",
             "\n", "\n\n", "# ", "> ", "- ", "1. ", "|", "---", "\\", "<img alt='a", "'>", "<div>", "</div>",
             "http://x.org/a?b&c", "[1]", "[/1]", "\r", "\r\n", "\x00", "\ufeff", "    ", "```", "~~"]
HTML_TOKENS = ["<p>", "</p>", "<b>", "</b>", "<i>", "<a href='x'>", "</a>", "<img alt=\"x", "\" src=y>", "<br>",
               "<div>", "</div>", "<table><tr><td>", "</td>", "<li>", "<ul>", "<script>", "</script>", "<!--",
               "-->", "<!DOCTYPE html>", "&amp;", "&#169;", "&#x", "&nosuch;", "<", ">", "=", "\"", "'", " ",
               "<code>", "</code>", "<head><title>", "</title></head>", "<![CDATA[", "]]>", "<?pi?>", "\x00"]
XML_TOKENS = ["<para>", "</para>", "<emphasis>", "</emphasis>", "<term>", "</term>", "<list><item>",
              "</item></list>", "<media alt=\"a\"><image src=\"i\"/></media>", "<m:math><m:mi>x</m:mi></m:math>",
              "<link url=\"x\">", "</link>", "<note>", "</note>", "&amp;", "&#169;", "&lt;", "<![CDATA[x]]>",
              "<!--c-->", "<?pi x?>", "<", ">", "&", " ", "text", "<section><title>", "</title>", "</section>"]
W_TOKENS = ["<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "<w:t xml:space=\"preserve\">",
            "<w:rPr><w:b/></w:rPr>",
            "<w:tab/>", "<w:br/>", "<w:hyperlink w:anchor=\"a\">", "</w:hyperlink>", "<w:tbl><w:tr><w:tc>",
            "</w:tc></w:tr></w:tbl>", "<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>", "<w:ins>", "</w:ins>",
            "<w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr>", "text", " ", "&amp;", "<", "&"]
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def _docx(body: str) -> bytes:
    return _zip([
        ("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
         b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
         b'+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
         b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        ("_rels/.rels", b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        ("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body>'
         "</w:document>".encode("utf-8", "surrogatepass")),
    ])


def _cartridge(href: str, member: str, page: bytes) -> bytes:
    manifest = (f'<?xml version="1.0"?><manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M">'
                f'<organizations/><resources><resource identifier="R" type="webcontent" href="{href}">'
                f'<file href="{href}"/></resource></resources></manifest>')
    return _zip([("imsmanifest.xml", manifest.encode("utf-8", "surrogatepass")), (member, page)])


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@FUZZ
@given(_pieces(MD_TOKENS))
def test_fuzz_markdown(text):
    _read("markdown", "f.md", _utf8(text))


@FUZZ
@given(st.one_of(_pieces(MD_TOKENS).map(_utf8), st.binary(max_size=300)))
def test_fuzz_plain_text(data):
    _read("text", "f.txt", data)


@FUZZ
@given(_pieces(HTML_TOKENS))
def test_fuzz_html(text):
    _read("html", "f.html", _utf8(text))


@FUZZ
@given(_pieces(XML_TOKENS), st.booleans())
def test_fuzz_cnxml(fragment, wrap):
    text = (f'<document xmlns="http://cnx.rice.edu/cnxml" xmlns:m="http://www.w3.org/1998/Math/MathML" id="m">'
            f"<title>T</title><content>{fragment}</content></document>") if wrap else fragment
    _read("cnxml", "f.cnxml", _utf8(text))


@FUZZ
@given(_pieces(W_TOKENS))
def test_fuzz_docx_body(body):
    _read("docx", "f.docx", _docx(body))


@FUZZ
@given(st.integers(min_value=0, max_value=2000), st.binary(max_size=40))
def test_fuzz_docx_damaged_package(cut, junk):
    good = _docx("<w:p><w:r><w:t>Hello world.</w:t></w:r></w:p>")
    _read("docx", "f.docx", good[: cut % (len(good) + 1)] + junk)


@FUZZ
@given(st.one_of(st.sampled_from(["a.html", "../a.html", "/etc/passwd", "file:///etc/passwd", "http://x/a",
                                  "a b.html", "a%2e%2e/x", "C:\\x", "", "./a.html", "a.html#x", "sub/../a.html"]),
                 st.text(max_size=12)),
       st.sampled_from(["a.html", "sub/a.html", "a.htm", "page.html"]),
       _pieces(HTML_TOKENS))
def test_fuzz_cartridge(href, member, page):
    from xml.sax.saxutils import quoteattr

    _read("imscc", "f.imscc", _cartridge(quoteattr(href)[1:-1], member, _utf8(page)))


@pytest.mark.parametrize("format_name", ["markdown", "text", "html", "cnxml", "docx", "imscc"])
@FUZZ
@given(data=st.binary(max_size=400))
def test_fuzz_every_reader_with_raw_bytes(format_name, data):
    _read(format_name, "f.bin", data)
