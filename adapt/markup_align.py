"""Putting inline markup on the right target words when the model mishandled it.

Small MT models move words out of a pair ("[1][/1] palavras"), drop one side or both, or cross pairs.
For every pair adapt.markup_qa finds broken in a translation, the pair's markers are taken out and the
pair is placed again on the target words, by two signals:

- **alignment**: the source's plain words and the target's are word-aligned (models.alignment, SimAlign
  over e5 token vectors); the pair goes around the target words aligned to its source words;
- **translation**: the pair's own words translated on their own ("library" -> "biblioteca") and matched
  against every short run of target words (rapidfuzz), today's repair signal (adapt.placeholder_repair).

A close match of the pair's own translation wins (it is the most precise); otherwise the aligned span;
otherwise a weaker match. A span never cuts through other markup. When pairs stay unplaced, the segment is
translated again with the pair markers hidden (atoms kept) and every pair is placed on that translation;
it is used when it leaves fewer pairs unplaced. Word alignment (the costly part) runs only for segments
whose broken pairs are not all settled by a close match of their own translation. A pair that cannot be
placed is left as the model wrote it (QA flags it), except an emptied one, whose empty markers are
dropped; an export never writes "****" or `<term></term>` for either (adapt.empty_markup). Pairs the
model kept intact are kept as they are: alignment runs only where markup is
broken. Typographic quotes the model dropped are put back the same way (a quoted source span is a pair).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from adapt.document import PLACEHOLDER_RE
from adapt.errors import MissingModel
from adapt.markup_qa import EMPTIED, analyse, broken_pairs, structure

Translate = Callable[[list[str]], list[str]]
_TOKEN = re.compile(r"\[(/?)(\d{1,4})\]|\w+(?:['’.-]\w+)*")
STRONG_MATCH = 85.0  # rapidfuzz ratio at which the pair's own translation outranks the alignment
WEAK_MATCH = 60.0  # below this a translation match places nothing (adapt.placeholder_repair.MIN_SCORE)
# Paired punctuation the models drop ("“Conversations …” by" -> "-Conversas … de"): placed like pairs.
QUOTES = (("“", "”"), ("«", "»"))  # not ‘’: ’ is also the apostrophe
QUOTE_BASE = 9000  # virtual pair numbers for quotes, above any real placeholder
# In segments of SHORT_SEGMENT words or more, a pair goes on words whose relative position in the target is
# within MAX_DRIFT of its words' position in the source: a word the model dropped is otherwise "found" in
# another sentence ("discussion" of the first sentence for the dropped one of the fourth).
MAX_DRIFT = 0.25
SHORT_SEGMENT = 12
DRIFT_COST = 60.0  # ranking of translation matches: ratio points lost per unit of relative drift


@dataclass(frozen=True)
class Placement:
    number: int
    source: str  # the pair's words in the source
    placed: str  # the target words it wraps now
    how: str  # "translation", "alignment" or "both" (the two signals agreed)
    score: float  # rapidfuzz ratio of the placed words against the pair's own translation (0 when none)
    hidden: bool = False  # placed on a translation made with the markup hidden


@dataclass(frozen=True)
class MarkupResult:
    text: str
    placements: tuple[Placement, ...] = ()
    unplaced: tuple[int, ...] = ()  # broken pairs left for the reviewer (flagged by QA)
    dropped: tuple[int, ...] = ()  # emptied pairs whose empty markers were taken out
    retranslated: bool = False
    quotes: tuple[str, ...] = field(default=())  # quoted source spans put back


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str
    inside: frozenset[int]  # pairs around it


def _walk(text: str) -> tuple[list[_Word], list[tuple[int, int, bool, int]]]:
    """Words of `text` (with the pairs around each) and its markers (start, end, closing, number)."""
    words: list[_Word] = []
    markers: list[tuple[int, int, bool, int]] = []
    open_now: list[int] = []
    for m in _TOKEN.finditer(text):
        if m.group(2) is not None:
            closing, n = m.group(1) == "/", int(m.group(2))
            markers.append((m.start(), m.end(), closing, n))
            if closing and n in open_now:
                open_now.remove(n)
            elif not closing:
                open_now.append(n)
        else:
            words.append(_Word(m.start(), m.end(), m.group(0), frozenset(open_now)))
    return words, markers


def _plain(text: str) -> str:
    return " ".join(re.sub(r"^[\W_]+|[\W_]+$", "", w).lower() for w in PLACEHOLDER_RE.sub(" ", text).split())


class _Target:
    """The model's output with some pairs' markers taken out, and where new markers may go."""

    def __init__(self, output: str, removed: set[int], pair_numbers: set[int]) -> None:
        self.output = output
        self.words, markers = _walk(output)
        self.removed = removed
        # Markers that stay, with the positions of their partners (atoms have none).
        self.kept = [(s, e, c, n) for s, e, c, n in markers if n not in removed]
        self.pairs = pair_numbers

    def balanced(self, first: int, last: int) -> bool:
        """Whether wrapping words first..last leaves every kept pair wholly inside or outside the span."""
        start, end = self.words[first].start, self.words[last].end
        inside = [(c, n) for s, _, c, n in self.kept if start <= s < end and n in self.pairs]
        opened = {n for c, n in inside if not c}
        closed = {n for c, n in inside if c}
        return opened == closed

    def text_of(self, first: int, last: int) -> str:
        return self.output[self.words[first].start:self.words[last].end]

    def render(self, spans: dict[int, tuple[int, int]]) -> str:
        """The output with the removed pairs' markers out, and `spans` (number -> word range) wrapped."""
        raw: list[list[int]] = []
        for s, e, _, n in _walk(self.output)[1]:
            if n in self.removed:
                if raw and raw[-1][1] == s:
                    raw[-1][1] = e  # adjacent markers ("[2][/2]") go as one cut
                else:
                    raw.append([s, e])
        cuts = []
        for s, e in raw:
            # "seção [2][/2], os" -> "seção, os": the space before a cut goes when punctuation follows it
            gap = s > 0 and self.output[s - 1] == " " and (e == len(self.output) or self.output[e] in ",.;:!?)")
            cuts.append((s - 1 if gap else s, e))
        inserts: list[tuple[int, int, int, str]] = []  # (position, closers first, nesting order, marker)
        for n, (first, last) in spans.items():
            size = self.words[last].end - self.words[first].start
            # At one position: closers before openers; an outer pair opens first and closes last.
            inserts.append((self.words[first].start, 1, -size, _marker(n, False)))
            inserts.append((self.words[last].end, 0, size, _marker(n, True)))
        ops = sorted([(p, c, o, t, p) for p, c, o, t in inserts] + [(s, 2, 0, "", e) for s, e in cuts],
                     key=lambda op: op[:3])
        out, cursor = [], 0
        for start, _, _, text, end in ops:
            out.append(self.output[cursor:start])
            out.append(text)
            cursor = end
        out.append(self.output[cursor:])
        rendered = "".join(out)
        if "  " not in self.output:  # markers taken out leave double spaces
            rendered = re.sub(r" {2,}", " ", rendered)
        return rendered.strip() if self.output == self.output.strip() else rendered


def _marker(n: int, closing: bool) -> str:
    if n >= QUOTE_BASE:  # a quote pair: a sentinel that _quotes_back turns into the quote marks
        return f"\x00{'/' if closing else ''}{n}\x00"
    return f"[/{n}]" if closing else f"[{n}]"


def _quote_pairs(source: str, output: str) -> tuple[str, str, dict[int, tuple[str, str]]]:
    """Source and output with typographic quote pairs the output lost turned into virtual pairs."""
    virtual: dict[int, tuple[str, str]] = {}
    for k, (left, right) in enumerate(QUOTES):
        if source.count(left) == 0 or output.count(left) or output.count(right) or output.count('"') >= 2:
            continue  # kept, or turned into straight quotes
        pattern = re.compile(re.escape(left) + r"([^" + re.escape(left + right) + r"]+)" + re.escape(right))
        number = QUOTE_BASE + k * 100
        found = False

        def swap(m: re.Match[str], marks: tuple[str, str] = (left, right)) -> str:
            nonlocal number, found
            found = True
            number += 1
            virtual[number] = marks
            return f"[{number}]{m.group(1)}[/{number}]"

        source = pattern.sub(swap, source)
    return source, output, virtual


def _source_words(source: str) -> tuple[list[str], dict[int, list[int]]]:
    words, _ = _walk(source)
    members: dict[int, list[int]] = {}
    for i, w in enumerate(words):
        for n in w.inside:
            members.setdefault(n, []).append(i)
    return [w.text for w in words], members


@dataclass
class _Job:
    source: str  # with virtual quote pairs
    output: str
    broken: list[int]
    emptied: set[int]
    inners: dict[int, str]  # pair -> its source words (markup-free pairs only)
    quotes: dict[int, tuple[str, str]]


def _jobs(source: str, output: str) -> _Job | None:
    source_q, output_q, quotes = _quote_pairs(source, output)
    problems = analyse(source_q, output_q)
    broken = broken_pairs(problems)
    if not broken:
        return None
    pairs, _ = structure(source_q)
    inners = {n: " ".join(PLACEHOLDER_RE.sub(" ", inner).split()) for n, inner in pairs.items()
              if not PLACEHOLDER_RE.search(inner)}
    emptied = {p.number for p in problems if p.code == EMPTIED}
    return _Job(source_q, output_q, broken, emptied, inners, quotes)


def _place(job: _Job, output: str, numbers: list[int], alignment: set[tuple[int, int]],
           translations: dict[str, str], *, hidden: bool) -> tuple[str, list[Placement], list[int]]:
    """Place `numbers` (their markers taken out of `output`) on `output`'s words."""
    pairs, _ = structure(job.source)
    target = _Target(output, set(numbers), set(pairs))
    if not target.words:
        return output, [], list(numbers)
    source_words, members = _source_words(job.source)
    spans: dict[int, tuple[int, int]] = {}
    placements: list[Placement] = []
    # Innermost pairs first, so an outer pair can be checked against what is already placed.
    for n in sorted(numbers, key=lambda k: len(members.get(k, []))):
        near = _drift_filter(members.get(n, []), len(source_words), len(target.words))
        aligned = sorted({j for i, j in alignment if i in set(members.get(n, [])) and near(j, j) is not None})
        by_alignment = _aligned_span(target, aligned, spans)
        inner = job.inners.get(n)
        by_translation = _translation_span(target, translations.get(inner, ""), spans, near) if inner else None
        chosen, how, score = None, "", 0.0
        if by_translation and by_translation[2] >= STRONG_MATCH:
            chosen, score = by_translation[:2], by_translation[2]
            how = "both" if by_alignment and _overlap(by_alignment, chosen) else "translation"
        elif by_alignment:
            chosen, how = by_alignment, "alignment"
            if by_translation and _overlap(by_translation[:2], by_alignment):
                how, score = "both", by_translation[2]
        elif by_translation and by_translation[2] >= WEAK_MATCH:
            chosen, how, score = by_translation[:2], "translation", by_translation[2]
        if chosen is None:
            continue
        spans[n] = chosen
        placements.append(Placement(n, inner or " ".join(source_words[i] for i in members.get(n, [])),
                                    target.text_of(*chosen), how, round(score, 1), hidden))
    unplaced = [n for n in numbers if n not in spans]
    # Unplaced pairs keep the markers the model wrote, except emptied ones: "[1][/1]" is dropped.
    target.removed = set(spans) | (set(unplaced) & job.emptied)
    return target.render(spans), placements, unplaced


def _drift_filter(members: list[int], source_words: int, target_words: int) -> Callable[[int, int], float | None]:
    """How far target words first..last sit from where the pair's words sit in the source (relative
    positions, 0..1), or None when too far; 0 for short segments, where word order moves freely."""
    if not members or source_words < SHORT_SEGMENT or target_words < 2:
        return lambda first, last: 0.0
    where = (members[0] + members[-1]) / 2 / max(source_words - 1, 1)

    def drift(first: int, last: int) -> float | None:
        away = abs((first + last) / 2 / (target_words - 1) - where)
        return away if away <= MAX_DRIFT else None

    return drift


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _fits(target: _Target, span: tuple[int, int], placed: dict[int, tuple[int, int]]) -> bool:
    """A span that cuts no kept pair and nests with (or stays apart from) what is placed already."""
    if not target.balanced(*span):
        return False
    for other in placed.values():
        apart = span[1] < other[0] or other[1] < span[0]
        nests = (span[0] <= other[0] and other[1] <= span[1]) or (other[0] <= span[0] and span[1] <= other[1])
        if not (apart or nests):
            return False
    return True


def _aligned_span(target: _Target, aligned: list[int], placed: dict[int, tuple[int, int]]) -> tuple[int, int] | None:
    """The aligned target words' hull; when that cuts markup, the longest run of aligned words that does not."""
    if not aligned:
        return None
    hull = (aligned[0], aligned[-1])
    if hull[1] - hull[0] + 1 <= 2 * len(aligned) + 2 and _fits(target, hull, placed):
        return hull
    runs, run = [], [aligned[0]]
    for j in aligned[1:]:
        if j == run[-1] + 1:
            run.append(j)
        else:
            runs.append(run)
            run = [j]
    runs.append(run)
    for run in sorted(runs, key=len, reverse=True):
        if _fits(target, (run[0], run[-1]), placed):
            return run[0], run[-1]
    return None


def _translation_span(target: _Target, translated: str, placed: dict[int, tuple[int, int]],
                      near: Callable[[int, int], float | None] = lambda a, b: 0.0
                      ) -> tuple[int, int, float] | None:
    """The run of target words that best matches the pair's own translation."""
    want = _plain(translated)
    if not want:
        return None
    limit = 2 * len(want.split()) + 3  # a translation is rarely more than twice as many words
    best: tuple[int, int, float] | None = None
    rank = float("-inf")
    words = target.words
    for a in range(len(words)):
        for b in range(a, min(len(words), a + limit)):
            drift = near(a, b)
            if drift is None:
                continue
            score = fuzz.ratio(_plain(" ".join(w.text for w in words[a:b + 1])), want)
            # Of equal matches (a word repeated in the segment), the one where the source has the pair.
            if score - DRIFT_COST * drift > rank and _fits(target, (a, b), placed):
                best, rank = (a, b, score), score - DRIFT_COST * drift
    return best


def hidden_source(source: str) -> str:
    """The source with every pair's markers taken out (atoms kept): what the model translates when its
    placement of the markup cannot be trusted."""
    pairs, _ = structure(source)
    hidden = re.sub(r"\[/?(\d{1,4})\]", lambda m: " " if int(m.group(1)) in pairs else m.group(0), source)
    return re.sub(r" {2,}", " ", hidden).strip() if "  " not in source else hidden


def place_batch(sources: Sequence[str], outputs: Sequence[str], translate: Translate,
                aligner: object | None) -> list[MarkupResult]:
    """Each output with its broken pairs placed again (see the module's docstring). `translate` is called
    at most twice (pairs' own words; hidden-markup retranslations), `aligner.align` at most twice."""
    jobs = [_jobs(s, o) for s, o in zip(sources, outputs)]
    results: list[MarkupResult] = [MarkupResult(o) for o in outputs]
    live = {i: job for i, job in enumerate(jobs) if job is not None}  # typed: no None left
    todo = list(live)
    if not todo:
        return results
    wanted = list(dict.fromkeys(live[i].inners[n] for i in todo for n in live[i].broken if n in live[i].inners))
    translations = dict(zip(wanted, translate(wanted))) if wanted else {}
    first = _attempt([live[i] for i in todo], [live[i].output for i in todo], translations, aligner, hidden=False)
    again = [k for k, (_, _, unplaced) in enumerate(first) if unplaced]
    second: dict[int, tuple[str, list[Placement], list[int]]] = {}
    if again:
        hidden_texts = [hidden_source(live[todo[k]].source) for k in again]
        retranslated = translate(hidden_texts)
        all_pairs = [sorted(structure(live[todo[k]].source)[0]) for k in again]
        for k, pairs in zip(again, all_pairs):  # every pair is "broken" on a translation without markup
            live[todo[k]].broken = pairs
        extra = [w for k in again for w in (live[todo[k]].inners.get(n) for n in live[todo[k]].broken)
                 if w and w not in translations]
        if extra:
            unique = list(dict.fromkeys(extra))
            translations.update(zip(unique, translate(unique)))
        attempts = _attempt([live[todo[k]] for k in again], retranslated, translations, aligner, hidden=True)
        second = dict(zip(again, attempts))
    for k, i in enumerate(todo):
        job = live[i]
        text, placements, unplaced = first[k]
        retranslated_used = False
        if k in second and len(second[k][2]) < len(unplaced):
            text, placements, unplaced = second[k]
            retranslated_used = True
        text = _quotes_back(text, job.quotes)
        results[i] = MarkupResult(
            text, tuple(p for p in placements if p.number < QUOTE_BASE), tuple(n for n in unplaced if n < QUOTE_BASE),
            tuple(sorted(n for n in set(unplaced) & job.emptied if n < QUOTE_BASE)), retranslated_used,
            tuple(p.source for p in placements if p.number >= QUOTE_BASE))
    return results


def _attempt(jobs: list[_Job], outputs: Sequence[str], translations: dict[str, str], aligner: object | None,
             *, hidden: bool) -> list[tuple[str, list[Placement], list[int]]]:
    results: list[tuple[str, list[Placement], list[int]]] = []
    doubtful: list[int] = []  # jobs the pairs' own translations do not settle: those are word-aligned
    for k, (job, output) in enumerate(zip(jobs, outputs)):
        placed = _place(job, output, list(job.broken), set(), translations, hidden=hidden)
        results.append(placed)
        # A close match of its own translation wins over the alignment anyway (see _place): when every
        # pair got one, aligning (the costly part: e5 over both sides) would change nothing placed.
        if placed[2] or any(p.score < STRONG_MATCH for p in placed[1]):
            doubtful.append(k)
    if aligner is None or not doubtful:
        return results
    pairs = []
    for k in doubtful:
        source_words, _ = _source_words(jobs[k].source)
        pairs.append((source_words, [w.text for w in _walk(outputs[k])[0]]))
    try:
        alignments = aligner.align(pairs)  # type: ignore[attr-defined]
    except MissingModel:
        return results  # no e5 weights here: the pairs' own translations are the only signal
    for k, alignment in zip(doubtful, alignments):
        results[k] = _place(jobs[k], outputs[k], list(jobs[k].broken), alignment, translations, hidden=hidden)
    return results


def _quotes_back(text: str, quotes: dict[int, tuple[str, str]]) -> str:
    for n, (left, right) in quotes.items():
        text = text.replace(f"\x00{n}\x00", left).replace(f"\x00/{n}\x00", right)
        text = text.replace(f"[{n}]", "").replace(f"[/{n}]", "")
    return text


def place_segment(source: str, output: str, translate: Translate, aligner: object | None = None) -> MarkupResult:
    """One segment: the friendly shape for a pure translate step `(source, target_text, translate) -> result`."""
    return place_batch([source], [output], translate, aligner)[0]
