"""What keeps tagging one module cheap (issue 16: < 2 s warm): a bounded number of chunks embedded, a
spaCy sample spread over the whole text, and a capped keyword pool. Timing itself is measured by
scripts/bench_tagging.py, not here."""

from __future__ import annotations

import pytest

from adapt.tagging.keywords import sample_paragraphs
from adapt.tagging.subject import CONTEXT_CHUNKS, MAX_CHUNKS, chunk_text


def test_tagging_cost_long_module_is_cut_to_max_chunks_spread_over_the_text():
    words = [f"w{i}" for i in range(100 * 60)]  # 60 chunks' worth
    chunks = chunk_text([" ".join(words)], title="Long")
    assert len(chunks) == MAX_CHUNKS
    assert chunks[0].startswith("Long. w0 ")
    assert "w5999" in chunks[-1]  # the end of the module is sampled, not only its beginning
    assert len(chunk_text([" ".join(words)], max_chunks=CONTEXT_CHUNKS)) == CONTEXT_CHUNKS > MAX_CHUNKS


def test_tagging_cost_short_text_keeps_every_paragraph():
    text = "one\n\ntwo three\n  \nfour"
    assert sample_paragraphs(text, 1000) == ["one", "two three", "four"]


def test_tagging_cost_long_text_sample_is_bounded_and_spread():
    lines = [f"paragraph {i} " + "x" * 90 for i in range(1000)]  # ~100 chars each, 100k in all
    sample = sample_paragraphs("\n".join(lines), 10_000)
    assert 8_000 <= sum(map(len, sample)) <= 10_200
    numbers = [int(line.split()[1]) for line in sample]
    assert numbers[0] == 0 and numbers[-1] > 900  # from the start to the end, not a prefix
    assert numbers == sorted(numbers)  # document order kept


@pytest.mark.parametrize("text", ["", "\n\n", "   "])
def test_tagging_cost_sample_bad_input(text):
    assert sample_paragraphs(text, 100) == []
