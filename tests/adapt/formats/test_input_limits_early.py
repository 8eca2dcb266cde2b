"""The limits stop a reader early: the many-segment and long-paragraph files are refused while parsing,
before the rest of the file is tokenized, and files within the limits read exactly as before."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from adapt import limits
from adapt.formats import read_document
from adapt.formats.markup import parse_html, parse_xml
from adapt.limits import InputLimits, LimitExceeded
from tests.adapt.formats.test_input_limits import CNXML, _docx

SMALL = InputLimits(max_segment_chars=1_000, max_segments=100)


def _read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path, max_bytes=50 * 1024 * 1024)[0]


def test_the_html_parser_stops_at_the_segment_limit():
    with limits.using(SMALL), pytest.raises(LimitExceeded) as caught:
        parse_html("<p>para</p>" * 101 + "<p" * 10)  # what follows the 101st paragraph is never read
    assert "101 found while reading" in caught.value.message and "ADAPT_MAX_SEGMENTS" in caught.value.hint
    with limits.using(SMALL):
        parse_html("<p>para</p>" * 100 + "<p></p>" * 500 + "<li><b>x</b></li>" * 500)  # no text of their own


def test_unclosed_paragraphs_count_as_they_are_closed_by_the_next():
    with limits.using(SMALL), pytest.raises(LimitExceeded, match="max_segments"):
        parse_html("<p>para " * 102)


def test_the_xml_parser_stops_at_the_segment_limit():
    with limits.using(SMALL), pytest.raises(LimitExceeded, match="max_segments"):
        parse_xml(CNXML.format("<para>text</para>" * 101))
    with limits.using(SMALL):
        parse_xml(CNXML.format("<para>text</para>" * 99 + "<para> </para>" * 500))


def test_docx_paragraphs_are_counted_before_they_are_segmented(tmp_path):
    with limits.using(SMALL), pytest.raises(LimitExceeded) as caught:
        _read(tmp_path, "many.docx", _docx("<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 101))
    assert "(101)" in caught.value.message
    with limits.using(SMALL):
        doc = _read(tmp_path, "ok.docx", _docx("<w:p><w:r><w:t>word</w:t></w:r></w:p>" * 100
                                                + "<w:p><w:r><w:t> </w:t></w:r></w:p>" * 300))
    assert len(doc.segments) == 100


def test_markdown_stops_counting_blocks_at_the_segment_limit(tmp_path):
    with limits.using(SMALL), pytest.raises(LimitExceeded, match="max_segments"):
        _read(tmp_path, "many.md", b"# heading\n\n" * 150)
    with limits.using(SMALL):
        doc = _read(tmp_path, "ok.md", b"# heading\n\n" * 100 + b"---\n\n" * 300 + b"\n" * 300)
    assert len(doc.segments) == 100


@pytest.mark.parametrize("line", [b"[a](b) *c* `d`\n", b"word word word\n", b"> quoted text\n", b"- item text\n"])
def test_a_markdown_block_longer_than_a_segment_is_refused_without_reading_on(tmp_path, line):
    # 2 MB of one block: refused after the first 1,000 characters, so in well under a second of CPU.
    started = time.process_time()
    with limits.using(SMALL), pytest.raises(LimitExceeded) as caught:
        _read(tmp_path, "long.md", line * (2_000_000 // len(line)))
    message = caught.value.message
    # Stopped where the limit was crossed: the long block after its first lines, the list at item 101.
    assert ("max_segment_chars" in message and "and more" in message) or "(101)" in message, message
    assert time.process_time() - started < 5  # CPU seconds; was tens of seconds for the whole scan


def test_markdown_within_the_limits_reads_as_before(tmp_path):
    text = ("# Title\n\nA paragraph that is\nsplit over lines *with* [a link](x).\n\n"
            "Setext heading\n--------------\n\n> a quote\n> that goes on\n\n- one\n- two\n\n"
            "```\n" + "code line\n" * 500 + "```\n\n| a | b |\n|---|---|\n| c | d |\n")
    with limits.using(InputLimits(max_segment_chars=1_000, max_segments=100)):
        small = _read(tmp_path, "a.md", text.encode())
    with limits.using(InputLimits()):
        large = _read(tmp_path, "b.md", text.encode())
    assert [(s.key, s.text, s.span) for s in small.segments] == [(s.key, s.text, s.span) for s in large.segments]
    assert [s.kind for s in small.segments] == ["heading", "paragraph", "heading", "quote", "list_item",
                                                 "list_item", "table_cell", "table_cell", "table_cell",
                                                 "table_cell"]


def test_a_paragraph_just_under_the_length_limit_is_read(tmp_path):
    body = ("word " * 190 + "\n") * 1  # 950 characters on one line
    with limits.using(SMALL):
        doc = _read(tmp_path, "ok.md", (body + "\n" + "word\n" * 9).encode())
    assert len(doc.segments) == 2


def test_a_docx_paragraph_stops_at_the_inline_limit(tmp_path):
    runs = "".join(f'<w:r><w:rPr>{"<w:b/>" if i % 2 else "<w:i/>"}</w:rPr><w:t xml:space="preserve">w{i} </w:t></w:r>'
                   for i in range(5000))
    with limits.using(InputLimits(max_inline=100)), pytest.raises(LimitExceeded) as caught:
        _read(tmp_path, "runs.docx", _docx(f"<w:p>{runs}</w:p>"))
    assert "(101)" in caught.value.message and "ADAPT_MAX_INLINE" in caught.value.hint
