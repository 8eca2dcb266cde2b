"""Markdown: unchanged documents render byte for byte; segments and placeholders are what a model needs."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapt.formats.base import RenderPlan
from adapt.formats.markdown import MarkdownFormat
from tests.conftest import FIXTURES

FMT = MarkdownFormat()

SAMPLES = {
    "lesson": (FIXTURES / "lesson.md").read_text(encoding="utf-8"),
    "crlf": "# Title\r\n\r\nSome *text* here.\r\n\r\n- a\r\n- b\r\n",
    "bom": "\ufeff# Title with BOM\n\nBody text.\n",
    "nested": ("> quote with **bold\n> across** lines\n>\n> - item in quote\n>   continued\n\n"
               "1. one\n   1. nested `code`\n"),
    "setext": "Big title\n=========\n\nSmall title\n-----------\n\ntext\n",
    "html": "<div>\n<p>raw html block</p>\n</div>\n\nInline <b>html</b> and <img src=x onerror=alert(1)> here.\n",
    "refs": ("A [ref link][r] and [collapsed][] and [shortcut].\n\n[r]: https://a.org\n[collapsed]: https://b.org\n"
             "[shortcut]: /c\n"),
    "math": "Inline $x^2$ and display:\n\n$$\n\\int_0^1 x\\,dx\n$$\n\nand $$y$$ inline-double.\n",
    "escapes": "Not \\*emphasis\\*, a \\| pipe, &amp; entity &copy; and trailing hard  \nbreak.\n",
    "table": ("| a | `b\\|c` | d \\| e |\n|:--|:-:|--:|\n| 1 | **2** | [3](http://x) |\n| | empty | |\n"
              "> | q | r |\n> |---|---|\n> | s | t |\n"),
    "frontmatter": "---\ntitle: x\nlang: en\n---\n# Heading\n\ntext\n",
    "tabs": "-\ttab item\n\n\tindented code\n\nparagraph\twith tab\n",
    "no-final-newline": "# T\n\nlast line",
    "autolinks": "See <https://openstax.org> and <mail@example.org> or www.example.com/page.\n",
    "images": "![An *alt*](img.png \"title\") and [![badge](b.svg)](https://ci)\n",
    "inline-images": "Text ![a *cell* \\] here](c.png) and ![](e.png) ![two\nlines](t.png)\n\n"
                     "> ![quoted alt\n> over lines](q.png)\n\n| ![cell \\| alt](x.png) | b |\n|---|---|\n",
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_markdown_round_trip_is_byte_identical(name):
    data = SAMPLES[name].encode("utf-8")
    doc = FMT.read(Path(f"{name}.md"), data)
    assert FMT.render(doc, RenderPlan()) == data


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_markdown_self_replacement_keeps_segments(name):
    """Putting every segment's own model text back gives a document with the same segments."""
    data = SAMPLES[name].encode("utf-8")
    doc = FMT.read(Path(f"{name}.md"), data)
    rendered = FMT.render(doc, RenderPlan(replacements={s.key: s.text for s in doc.segments}))
    again = FMT.read(Path(f"{name}.md"), rendered)
    assert [(s.key, s.kind) for s in again.segments] == [(s.key, s.kind) for s in doc.segments]
    assert [" ".join(s.plain_text().split()) for s in again.segments] == [
        " ".join(s.plain_text().split()) for s in doc.segments
    ]


def test_markdown_segments_protect_inline_markup():
    doc = FMT.read(Path("l.md"), SAMPLES["lesson"].encode())
    kinds = [s.kind for s in doc.segments]
    assert kinds.count("heading") == 4 and kinds.count("list_item") == 4 and kinds.count("table_cell") == 6
    para = next(s for s in doc.segments if s.text.startswith("[1]Comments[/1]"))
    assert "[2]" in para.text and para.placeholder(2).raw == "`#`"
    math = next(s for s in doc.segments if "comment ratio" in s.text)
    assert [p.raw for p in math.placeholders if p.role == "math"] == ["$n$", "$c$", "$c / (n + c)$"]
    link = next(s for s in doc.segments if "style guide" in s.text)
    assert link.placeholder(1).close == "](https://peps.python.org/pep-0008/#comments)"
    # code blocks never become segments
    assert not any("Lunch Menu" in s.text for s in doc.segments)


def test_markdown_code_only_cells_are_not_translatable():
    doc = FMT.read(Path("t.md"), SAMPLES["table"].encode())
    cells = [s for s in doc.segments if s.kind == "table_cell"]
    assert [c.text for c in cells][:3] == ["a", "[1]", "d [1] e"]
    assert not cells[1].translatable and cells[1].placeholder(1).raw == "`b\\|c`"
    assert [c.text for c in cells][-4:] == ["q", "r", "s", "t"]


def test_markdown_translation_escapes_new_markup_and_pipes():
    doc = FMT.read(Path("t.md"), b"| a | b |\n|---|---|\n| one | two |\n")
    out = FMT.render(doc, RenderPlan(replacements={"table_cell-3": "x | *y*"})).decode()
    assert "| x \\| \\*y\\* | two |" in out
    again = FMT.read(Path("t.md"), out.encode())
    assert len([s for s in again.segments if s.kind == "table_cell"]) == 4


def test_markdown_unreviewed_segments_are_marked():
    doc = FMT.read(Path("t.md"), b"# Title\n\nBody.\n")
    out = FMT.render(doc, RenderPlan(replacements={"paragraph-1": "Corpo."}, unreviewed=frozenset({"paragraph-1"})))
    text = out.decode()
    assert "⚠ Corpo." in text and "unreviewed machine output" in text


# -- property-based ------------------------------------------------------------------------------

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
inline = st.one_of(
    words,
    words.map(lambda w: f"*{w.strip() or 'x'}*"),
    words.map(lambda w: f"**{w.strip() or 'x'}**"),
    words.map(lambda w: f"`{w.replace('`', '') or 'x'}`"),
    words.map(lambda w: f"[{w.strip() or 'x'}](http://e.org/{abs(hash(w)) % 97})"),
    st.just("$x^2$"),
    st.just("<https://openstax.org>"),
    st.just("\\*"),
    st.just("&amp;"),
)
line = st.lists(inline, min_size=1, max_size=6).map(" ".join)
block = st.one_of(
    line,
    line.map(lambda t: "# " + t),
    line.map(lambda t: "## " + t + " ##"),
    st.lists(line, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(line, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    line.map(lambda t: "> " + t),
    st.tuples(line, line).map(lambda p: f"| {p[0].replace('|', '')} | b |\n|---|---|\n| {p[1].replace('|', '')} | c |"),
    line.map(lambda t: "```\n" + t + "\n```"),
    st.just("$$\nE = mc^2\n$$"),
    st.text(max_size=80),  # anything at all
)
documents = st.lists(block, min_size=1, max_size=8).map("\n\n".join)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from(["\n", "\r\n"]))
def test_markdown_round_trip_property(text, newline):
    data = text.replace("\n", newline).encode("utf-8")
    doc = FMT.read(Path("x.md"), data)
    assert FMT.render(doc, RenderPlan()) == data
    for seg in doc.segments:
        # a one-line segment restores to exactly the source slice it came from
        source_slice = doc.text[seg.span[0] : seg.span[1]]
        if "\n" not in source_slice and "\r" not in source_slice:
            assert seg.restore(seg.text) == source_slice
