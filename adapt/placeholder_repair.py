"""Putting back the markup a translation model half-dropped: "Uma biblioteca[/1] é..." for "A [1]library[/1] is...".

Small MT models often keep one side of a paired placeholder and lose the other (5% of the OpenStax
segments with markup, mostly a lost opening `[N]`). Export would otherwise realign the pair in source
order and put the formatting on the wrong words. Here each lost side is placed where the separately
translated inner text ("biblioteca") matches the output best: the words before a kept `[/N]`, after a
kept `[N]`, or anywhere when both sides are lost. A pair is repaired only when the match is good, its
inner text has no markup of its own, and the span would not cut through other markup; the result is
flagged `placeholder-repaired` so a reviewer checks it. Everything else is left to QA as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from adapt.document import PLACEHOLDER_RE as TOKEN

_WORD = re.compile(r"\S+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
MIN_SCORE = 60.0  # rapidfuzz ratio (0-100) between the span and the inner text's own translation


@dataclass(frozen=True)
class Repair:
    number: int
    inner: str  # the pair's text in the source
    placed: str  # the words it now wraps in the output
    score: float


def inner_texts(source: str) -> dict[int, str]:
    """Text inside each markup-free pair `[N]...[/N]` of a source segment."""
    found = {}
    for opening in re.finditer(r"\[(\d{1,4})\]", source):
        close = source.find(f"[/{opening.group(1)}]", opening.end())
        inner = source[opening.end():close] if close >= 0 else ""
        if inner.strip() and not TOKEN.search(inner):
            found[int(opening.group(1))] = inner
    return found


def lost_pairs(source: str, output: str, inners: dict[int, str] | None = None) -> list[int]:
    """Pairs of the source (markup-free inside) of which the output lacks a side but has no duplicate."""
    lost = []
    for number in inner_texts(source) if inners is None else inners:
        sides = output.count(f"[{number}]"), output.count(f"[/{number}]")
        if sides in ((0, 1), (1, 0), (0, 0)):
            lost.append(number)
    return lost


def repair_batch(sources: Sequence[str], outputs: Sequence[str],
                 translate: Callable[[list[str]], list[str]]) -> list[tuple[str, list[Repair]]]:
    """Each output with its lost pair sides put back where they fit; `translate` translates inner texts
    (one call for the whole batch)."""
    inners = [inner_texts(source) for source in sources]
    wanted = [lost_pairs(s, o, pairs) for s, o, pairs in zip(sources, outputs, inners)]
    todo = list(dict.fromkeys(pairs[n].strip() for pairs, numbers in zip(inners, wanted) for n in numbers))
    translated = dict(zip(todo, translate(todo))) if todo else {}
    results = []
    for output, pairs, numbers in zip(outputs, inners, wanted):
        repairs: list[Repair] = []
        for number in numbers:
            inner = pairs[number]
            fixed = _place(output, number, translated.get(inner.strip(), ""))
            if fixed is not None:
                output, placed, score = fixed
                repairs.append(Repair(number, inner.strip(), placed, score))
        results.append((output, repairs))
    return results


def _place(output: str, number: int, inner: str) -> tuple[str, str, float] | None:
    opening, closing = f"[{number}]", f"[/{number}]"
    has_open, has_close = opening in output, closing in output
    if not inner.strip() or (has_open and has_close):
        return None
    words = [(m.start(), m.end()) for m in _WORD.finditer(output)]
    limit = 2 * len(inner.split()) + 3  # a translation is rarely more than twice as many words
    best: tuple[float, int, int] | None = None
    if has_close:  # choose where the span starts: word starts before the kept [/N]
        end = output.index(closing)
        starts = [s for s, _ in words if s < end][-limit:]
        candidates = [(s, end) for s in starts]
    elif has_open:  # choose where it ends: word ends after the kept [N]
        start = output.index(opening) + len(opening)
        ends = [e for _, e in words if e > start][:limit]
        candidates = [(start, _trim_end(output, start, e)) for e in ends]
    else:  # both lost: any run of up to `limit` words
        candidates = [(words[a][0], _trim_end(output, words[a][0], words[b][1]))
                      for a in range(len(words)) for b in range(a, min(len(words), a + limit))]
    for start, end in candidates:
        span = output[start:end]
        if start >= end or TOKEN.search(span):
            continue  # never cut through other markup
        score = fuzz.ratio(_plain(span), _plain(inner))
        if best is None or score > best[0]:
            best = (score, start, end)
    if best is None or best[0] < MIN_SCORE:
        return None
    score, start, end = best
    if has_close:
        fixed = output[:start] + opening + output[start:]
    elif has_open:
        fixed = output[:end] + closing + output[end:]
    else:
        fixed = output[:start] + opening + output[start:end] + closing + output[end:]
    return fixed, output[start:end], score


def _trim_end(text: str, start: int, end: int) -> int:
    """A span's end without trailing punctuation (a closing tag goes before the comma, as in the source)."""
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ")]}\"'»”’"):
        end -= 1
    return end


def _plain(text: str) -> str:
    return " ".join(_EDGE.sub("", word).lower() for word in text.split())
