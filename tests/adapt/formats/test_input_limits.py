"""Input limits (adapt/limits.py): readers are iterative at any depth, and each limit is refused with a
message that names the limit and the setting that raises it, exit 1, nothing stored."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from adapt import limits
from adapt.formats import read_document
from adapt.formats.markup import parse_html, parse_xml
from adapt.limits import InputLimits, LimitExceeded
from adapt.settings import Settings
from tests.adapt.formats.test_formats_hostile import assert_nothing_stored, run_cli

CNXML = '<document xmlns="http://cnx.rice.edu/cnxml" id="m1"><title>T</title><content>{}</content></document>'
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NO_DEPTH_LIMIT = InputLimits(max_segment_chars=10**9, max_depth=10**9, max_inline=10**9)


def _read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path, max_bytes=50 * 1024 * 1024)


def _docx(body: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
                    'formats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        zf.writestr("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>{body}'
                    "</w:body></w:document>")
    return buf.getvalue()


# -- failure 1: deep nesting was a RecursionError (exit 2) -------------------------------------------

def test_html_nested_1000_deep_reads_without_recursion(tmp_path):
    data = b"<div>" * 1000 + b"deep text" + b"</div>" * 1000
    with limits.using(NO_DEPTH_LIMIT):
        doc, _ = _read(tmp_path, "deep.html", data)
    assert [s.plain_text() for s in doc.segments] == ["deep text"]


def test_html_inline_nesting_100k_deep_reads_without_recursion(tmp_path):
    data = b"<p>a " + b"<b>" * 100_000 + b"deep" + b"</b>" * 100_000 + b" z</p>"
    with limits.using(NO_DEPTH_LIMIT):
        doc, _ = _read(tmp_path, "deep.html", data)
    (seg,) = doc.segments
    assert seg.text.startswith("a [1][2]") and "[100000]deep[/100000]" in seg.text and seg.text.endswith("[/1] z")
    assert len(seg.placeholders) == 100_000


def test_cnxml_5000_nested_emphasis_reads_without_recursion(tmp_path):
    body = '<para id="p">' + "<emphasis>" * 5000 + "deep" + "</emphasis>" * 5000 + "</para>"
    with limits.using(NO_DEPTH_LIMIT):
        doc, _ = _read(tmp_path, "m.cnxml", CNXML.format(body).encode())
    para = [s for s in doc.segments if s.kind == "paragraph"]
    assert [s.plain_text() for s in para] == ["deep"] and len(para[0].placeholders) == 5000


def test_cnxml_100k_nested_sections_read_without_recursion(tmp_path):
    body = "<section>" * 100_000 + '<para id="p">deep</para>' + "</section>" * 100_000
    with limits.using(NO_DEPTH_LIMIT):
        doc, _ = _read(tmp_path, "m.cnxml", CNXML.format(body).encode())
    assert "deep" in [s.plain_text() for s in doc.segments]


def test_tree_helpers_are_iterative():
    with limits.using(NO_DEPTH_LIMIT):
        xml = parse_xml("<a>" + "<b>" * 100_000 + "x" + "</b>" * 100_000 + "</a>")
        html = parse_html("<p>" + "<i>" * 100_000 + "x" + "</i>" * 100_000 + "</p>")
    for root in (xml, html):
        assert root.text_content() == "x" and root.has_words()
        assert len(list(root.iter())) == 100_002


def test_docx_nested_content_controls_read_without_recursion(tmp_path):
    body = "<w:sdt><w:sdtContent>" * 100 + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>" * 100
    doc, _ = _read(tmp_path, "d.docx", _docx(body))
    assert [s.plain_text() for s in doc.segments] == ["deep"]


# -- each limit: refused with its name and its setting -----------------------------------------------

@pytest.mark.parametrize(
    ("name", "data", "limit", "env"),
    [
        ("deep.html", b"<div>" * 300 + b"x" + b"</div>" * 300, "max_depth", "ADAPT_MAX_DEPTH"),
        ("deep.cnxml", CNXML.format('<para id="p">' + "<emphasis>" * 300 + "x" + "</emphasis>" * 300
                                    + "</para>").encode(), "max_depth", "ADAPT_MAX_DEPTH"),
        ("deep.docx", _docx("<w:sdt><w:sdtContent>" * 150 + "<w:p><w:r><w:t>x</w:t></w:r></w:p>"
                            + "</w:sdtContent></w:sdt>" * 150), "max_depth", "ADAPT_MAX_DEPTH"),
        ("long.md", b"word " * 5000, "max_segment_chars", "ADAPT_MAX_SEGMENT_CHARS"),
        ("long.txt", b"word " * 5000, "max_segment_chars", "ADAPT_MAX_SEGMENT_CHARS"),
        ("long.html", b"<p>" + b"word " * 5000 + b"</p>", "max_segment_chars", "ADAPT_MAX_SEGMENT_CHARS"),
        ("long.docx", _docx("<w:p><w:r><w:t>" + "word " * 5000 + "</w:t></w:r></w:p>"), "max_segment_chars",
         "ADAPT_MAX_SEGMENT_CHARS"),
        ("many.md", b"para\n\n" * 600, "max_segments", "ADAPT_MAX_SEGMENTS"),
        ("many.cnxml", CNXML.format("<para>x</para>" * 600).encode(), "max_segments", "ADAPT_MAX_SEGMENTS"),
        ("inline.md", b"*a* " * 200, "max_inline", "ADAPT_MAX_INLINE"),
        ("inline.html", b"<p>" + b"<b>a</b> " * 200 + b"</p>", "max_inline", "ADAPT_MAX_INLINE"),
        ("inline.docx", _docx("<w:p>" + "".join(f'<w:r><w:rPr>{"<w:b/>" if i % 2 else ""}</w:rPr>'
                                                f'<w:t xml:space="preserve">'
                                                f"w{i} </w:t></w:r>" for i in range(400)) + "</w:p>"),
         "max_inline", "ADAPT_MAX_INLINE"),
        ("attr.html", b'<p title="' + b"x" * 5000 + b'">text</p>', "max_attribute_chars", "ADAPT_MAX_ATTRIBUTE_CHARS"),
        ("attr.cnxml", CNXML.format('<para id="p" class="' + "x" * 5000 + '">x</para>').encode(),
         "max_attribute_chars", "ADAPT_MAX_ATTRIBUTE_CHARS"),
    ],
)
def test_each_limit_is_named_with_its_setting(tmp_path, name, data, limit, env):
    small = InputLimits(max_segment_chars=10_000, max_depth=100, max_segments=500, max_inline=100,
                        max_attribute_chars=1000)
    with limits.using(small), pytest.raises(LimitExceeded) as caught:
        _read(tmp_path, name, data)
    assert limit in caught.value.message and env in caught.value.hint
    assert caught.value.exit_code == 1


def test_limits_are_settings_with_the_documented_defaults():
    settings = Settings.from_env({})
    assert InputLimits.from_settings(settings) == InputLimits()
    raised = Settings.from_env({"ADAPT_MAX_DEPTH": "5000", "ADAPT_MAX_SEGMENT_CHARS": "7"})
    assert (raised.max_depth, raised.max_segment_chars) == (5000, 7)


def test_raising_the_setting_lets_the_file_in(tmp_path, monkeypatch):
    path = tmp_path / "deep.html"
    path.write_bytes(b"<div>" * 300 + b"deep text" + b"</div>" * 300)
    monkeypatch.setenv("ADAPT_MAX_DEPTH", "400")
    doc, _ = read_document(path, max_bytes=10**6)
    assert doc.segments[0].plain_text() == "deep text"


# -- the CLI: exit 1, one line naming the limit, nothing stored --------------------------------------

@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("deep.html", b"<div>" * 5000 + b"deep text" + b"</div>" * 5000, "ADAPT_MAX_DEPTH"),
        ("deep.cnxml", CNXML.format('<para id="p">' + "<emphasis>" * 5000 + "x" + "</emphasis>" * 5000
                                    + "</para>").encode(), "ADAPT_MAX_DEPTH"),
        ("line.md", b"word " * 1024 * 1024, "ADAPT_MAX_SEGMENT_CHARS"),
    ],
)
def test_cli_refuses_with_the_limit_and_stores_nothing(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    result = run_cli(tmp_path, "import", str(path))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: ") and words in result.stderr and len(result.stderr.splitlines()) == 1
    assert_nothing_stored(tmp_path)
    as_json = run_cli(tmp_path, "translate", str(path), "--to", "pt", "--json")
    assert as_json.returncode == 1 and words in json.loads(as_json.stdout)["hint"]
    assert_nothing_stored(tmp_path)


def test_cli_import_stores_a_good_file(tmp_path):
    path = tmp_path / "ok.md"
    path.write_text("# Title\n\nSome text to adapt.\n")
    result = run_cli(tmp_path, "import", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"resource": 1, "segments": 2, "format": "markdown"}
