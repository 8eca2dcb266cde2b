"""DOCX hyperlinks nested in hyperlinks: segmented with an explicit stack, so depth costs no recursion."""

from __future__ import annotations

import sys

from lxml import etree

from adapt.formats.docx import R_NS, W, segment_paragraph, w


def nested_links(depth: int) -> etree._Element:
    """<w:p>: `depth` hyperlinks each inside the last, a word before each, a bold word innermost, an italic dot.
    Built in memory: no parser depth cap, so the segmenter itself is what is tested."""
    p = etree.Element(w("p"), nsmap={"w": W, "r": R_NS})
    parent = p
    for i in range(depth):
        run = etree.SubElement(parent, w("r"))
        etree.SubElement(run, w("t")).text = f"w{i} "
        parent = etree.SubElement(parent, w("hyperlink"))
        parent.set(f"{{{R_NS}}}id", f"rId{i}")
    run = etree.SubElement(parent, w("r"))
    etree.SubElement(etree.SubElement(run, w("rPr")), w("b"))
    etree.SubElement(run, w("t")).text = "end"
    run = etree.SubElement(p, w("r"))
    etree.SubElement(etree.SubElement(run, w("rPr")), w("i"))
    etree.SubElement(run, w("t")).text = "."  # italic, after every link has closed
    return p


def test_nested_links_keep_their_order_and_close_innermost_first():
    builder, info = segment_paragraph(nested_links(3))
    assert builder.text == "w0 [1]w1 [2]w2 [3]end[/3][/2][/1][4].[/4]"
    assert [info.pairs[n][0] for n in (1, 2, 3, 4)] == ["link", "link", "link", "format"]
    assert [ph.raw for ph in builder.placeholders[:3]] == ["rId0", "rId1", "rId2"]


def test_links_nested_deeper_than_the_recursion_limit_are_segmented():
    depth = sys.getrecursionlimit() + 500  # the recursive emit_runs raised RecursionError here
    builder, info = segment_paragraph(nested_links(depth))
    assert len(info.pairs) == depth + 1
    assert builder.text.startswith("w0 [1]w1 [2]")
    assert builder.text.endswith(f"[{depth}]end[/{depth}][/{depth - 1}]" + "".join(
        f"[/{n}]" for n in range(depth - 2, 0, -1)) + f"[{depth + 1}].[/{depth + 1}]")
