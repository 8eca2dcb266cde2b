"""Input limits inside markdown-it's block parser, so a hostile Markdown file stops early.

Without these, markdown-it tokenizes the whole file before any limit is checked: 200,000 headings
cost seconds of CPU only to be refused, and one 5 MB paragraph of 350,000 lines is scanned by the
`lheading` and `paragraph` rules line by line (every terminator rule tried on every line) before its
length is known. Both guards are linear in what they look at and leave the token stream unchanged
for files within the limits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapt.limits import InputLimits, breach, check

LIMITS_KEY = "adapt_limits"  # env key: the InputLimits of this parse
_COUNT_KEY = "adapt_block_count"  # env key: (tokens already looked at, inline tokens with text)

BlockRule = Callable[[Any, int, int, bool], bool]


def install(md: Any) -> None:
    """Wrap `lheading` and `paragraph` with the segment-length guard and add the segment counter."""
    for rule in md.block.ruler.__rules__:
        if rule.name in ("lheading", "paragraph"):
            rule.fn = _length_guarded(rule.fn)
    md.block.ruler.before("table", "adapt_count_segments", _count_segments)
    md.block.ruler.__compiled__ = {}


def _limits(state: Any) -> InputLimits | None:
    return state.env.get(LIMITS_KEY) if isinstance(state.env, dict) else None


def _count_segments(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Called at each block start: count the new inline tokens (amortised O(1)) and stop at the limit."""
    limits = _limits(state)
    if limits is None or silent:
        return False
    seen, count = state.env.get(_COUNT_KEY, (0, 0))
    tokens = state.tokens
    for token in tokens[seen:]:
        if token.type == "inline" and token.content.strip():
            count += 1
    state.env[_COUNT_KEY] = (len(tokens), count)
    check("max_segments", count, "the file", limits)
    return False  # never matches: the real rules parse the block


def _length_guarded(fn: BlockRule) -> BlockRule:
    """Run a paragraph-like rule on at most the lines that fit in one segment; refuse a longer block.

    The block's source is cut after the first line that takes it past `max_segment_chars`; when the
    rule is still going at that cut (the next line is neither blank nor the end), the block is longer
    than the limit whatever follows, so it is refused without scanning the rest."""

    def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
        limits = _limits(state)
        if limits is None:
            return fn(state, start_line, end_line, silent)
        cut, chars = start_line, 0
        while cut < end_line and chars <= limits.max_segment_chars and not state.isEmpty(cut):
            chars += state.eMarks[cut] - state.bMarks[cut] - state.tShift[cut] + 1
            cut += 1
        if chars <= limits.max_segment_chars or cut >= end_line or state.isEmpty(cut):
            return fn(state, start_line, end_line, silent)
        line, line_max = state.line, state.lineMax
        state.lineMax = cut  # `paragraph` reads its end from lineMax, `lheading` from its argument
        try:
            matched = fn(state, start_line, cut, silent)
        finally:
            state.lineMax = line_max
        if matched and not silent and state.line >= cut:
            raise breach("max_segment_chars", f"{chars:,} in lines {start_line + 1}-{cut}, and more",
                         f"line {start_line + 1}", limits)
        if not matched or silent:
            state.line = line
        return matched

    return rule
