"""The document preview never carries script, handlers, styles or fetched resources."""

from __future__ import annotations

import re

import pytest

from adapt.preview import preview_html

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<div onmouseover="alert(1)">x</div>',
    "<iframe src=//evil.example></iframe>",
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"></svg>',
    '<a href="http://example.org" target="_blank">ok</a>',
    "<object data=x></object><embed src=x>",
    "<<script>script>alert(1)<</script>/script>",
]


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_preview_removes_active_content(fmt, payload):
    out = preview_html(fmt, f"# Title\n\nBefore {payload} after\n".encode()).lower()
    for bad in ("<script", "<iframe", "<style", "<img", "<svg", "<object", "<embed"):
        assert bad not in out
    for tag in re.findall(r"<[^>]*>", out):  # text may mention them; no tag may carry them
        assert not re.search(r"\son\w+\s*=", tag) and "javascript:" not in tag, tag


def test_preview_keeps_document_structure():
    out = preview_html("markdown", b"# Title\n\n- one\n- **two**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h1>Title</h1>" in out and "<strong>two</strong>" in out and "<td>1</td>" in out
    assert 'rel="noopener noreferrer nofollow"' in preview_html("markdown", b"[x](http://example.org)")


def test_preview_of_binary_or_huge_input_does_not_fail():
    assert preview_html("text", b"\xff\xfe\x00bad") .startswith("<pre>")
    assert len(preview_html("markdown", b"word " * 200_000)) > 1_000_000


def test_preview_of_a_docx_comes_from_its_segments(service, tmp_path):
    import docx

    from adapt.people import User

    path = tmp_path / "lesson.docx"
    d = docx.Document()
    d.add_heading("Plants <script>alert(1)</script>", level=1)
    d.add_paragraph("Plants take in water.")
    d.add_paragraph("Roots", style="List Bullet")
    d.save(path)
    service.people.add("ed", "editor", "password-1")
    rid = service.import_file(path, owner="ed").resource_id
    html = service.session(User("ed", "editor", "")).preview_html(rid)
    assert "<h2>Plants &lt;script&gt;alert(1)&lt;/script&gt;</h2>" in html
    assert "<p>Plants take in water.</p>" in html and "<ul><li>Roots</li></ul>" in html
