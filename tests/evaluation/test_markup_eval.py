"""evaluation.markup (`adapt eval markup`): how each pair is counted, what counts as an inline element
exported empty or left out, the shares and the table. The end-to-end run on a real book (Bergamot, e5)
is tests/adapt/cli/test_cli_markup.py."""

from __future__ import annotations

import pytest

from evaluation.markup import MarkupCounts, MarkupRun, count_inline, format_markup_run, pair_outcomes

SOURCE = "A [1]key term[/1] and [2]italic[/2] words with [3]a [4]link[/4][/3]."


@pytest.mark.parametrize(("output", "expected"), [
    ("Um [1]termo-chave[/1] e [2]itálico[/2] com [3]um [4]link[/4][/3].",
     {"kept": 4, "emptied": 0, "lost": 0, "broken": 0}),
    ("Um [1][/1] termo e [2]itálico[/2] com [3]um [4]link[/4][/3].",
     {"kept": 3, "emptied": 1, "lost": 0, "broken": 0}),
    ("Um termo e [2]itálico[/2] com [3]um [4]link[/4][/3].", {"kept": 3, "emptied": 0, "lost": 1, "broken": 0}),
    ("Um [1]termo e [2]itálico[/1][/2] com [3]um [4]link[/4][/3].",
     {"kept": 3, "emptied": 0, "lost": 0, "broken": 1}),  # a crossing counts once, on the pair that crosses
])
def test_pair_outcomes(output: str, expected: dict[str, int]) -> None:
    counts, kept = pair_outcomes(SOURCE, output)
    assert counts == expected
    assert len(kept) == expected["kept"] and sum(counts.values()) == 4


CNXML = ('<document xmlns="http://cnx.rice.edu/cnxml"><content><para id="p">A <term id="t">term</term>,'
         ' <emphasis>{e}</emphasis> and <link target-id="p"/> <sup>{s}</sup><list><item>x</item></list>'
         '</para></content></document>')


def test_count_inline_counts_full_and_empty_inline_elements_only() -> None:
    assert count_inline(CNXML.format(e="words", s="th").encode()) == (3, 1)  # the anchor link is empty
    assert count_inline(CNXML.format(e="", s="  ").encode()) == (1, 3)  # list and item are not inline
    nested = b'<document xmlns="http://cnx.rice.edu/cnxml"><para><term><emphasis>x</emphasis></term></para></document>'
    assert count_inline(nested) == (2, 0)  # a term around an emphasis is not empty
    with pytest.raises(Exception):  # noqa: B017 - lxml's own error type; bad XML is not counted as zero
        count_inline(b"<document><term>")


def test_shares_and_table() -> None:
    book = MarkupCounts(modules=2, segments=3, pairs=200, kept=190, emptied=2, lost=6, broken=2, aligned=180,
                        checked_alignment=190, problem_rows=5, unflagged=0, inline_source=400, exported_empty=1,
                        exported_dropped=6)
    shares = book.shares()
    assert shares["kept_%"] == 95.0 and shares["lost_%"] == 3.0 and shares["aligned_%"] == 94.74
    assert shares["exported_empty_%"] == 0.25 and shares["exported_dropped_%"] == 1.5
    assert MarkupCounts().shares()["kept_%"] == 0.0  # nothing counted: no division by zero
    run = MarkupRun(signature={"digest": "abc"}, books={"b1": book, "b2": MarkupCounts(pairs=100, kept=100)})
    assert run.total.pairs == 300 and run.total.kept == 290
    data = run.to_json()
    assert data["total"]["exported_dropped"] == 6 and data["books"]["b2"]["kept_%"] == 100.0
    table = format_markup_run(run)
    assert "dropped%" in table.splitlines()[0] and "0/5" in table and '"digest": "abc"' in table
    assert [line.split()[0] for line in table.splitlines()[2:5]] == ["b1", "b2", "TOTAL"]
