"""Every way inline markup can go wrong between a source segment and a suggestion, found and described.

Markup reaches models as placeholders (adapt.document): an atom `[N]` stands for code, math or a link
target, a pair `[N]...[/N]` wraps text that is itself translated (a key term, emphasis, a link's text).
`analyse` compares the suggestion's placeholders with the source's and reports each problem with what
happened and where: a pair emptied (its words moved outside: export would write `<term></term>` or
"****"), one side or both lost, a closer before its opener, a pair duplicated, two pairs crossed or
their nesting changed, an atom lost or duplicated. `check_markup` is the QA check (adapt.qa.CHECKS) for
the problems the older `check_placeholders` does not already flag: emptied pairs and crossed or
re-nested pairs. Whether a kept pair wraps the *right* words needs a translation signal and is judged
by adapt.markup_align.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from adapt.document import PLACEHOLDER_RE

# Problem codes, in the order a reviewer should read them.
EMPTIED, SIDE_LOST, LOST, ORDER, DUPLICATED, CROSSED, NESTING, ATOM_LOST, ATOM_DUPLICATED = (
    "emptied", "side-lost", "lost", "order", "duplicated", "crossed", "nesting", "atom-lost", "atom-duplicated")
STRUCTURAL = frozenset({EMPTIED, SIDE_LOST, LOST, ORDER, DUPLICATED, CROSSED, NESTING})  # pair problems
_WORDY = re.compile(r"[^\W_]", re.UNICODE)  # a letter or a digit: what makes a pair's content visible


@dataclass(frozen=True)
class MarkupProblem:
    code: str  # one of the codes above
    number: int  # the placeholder's number
    where: str  # a short excerpt of the suggestion around the problem ("" when the markup is gone)
    source_inner: str = ""  # the pair's words in the source (pairs only)

    def describe(self) -> str:
        n = self.number
        at = f" at “{self.where}”" if self.where else ""
        words = f" (source: “{self.source_inner}”)" if self.source_inner else ""
        return {
            EMPTIED: f"[{n}][/{n}] wraps nothing{words}: its words were moved outside{at}",
            SIDE_LOST: f"one side of [{n}]…[/{n}] is lost{words}{at}",
            LOST: f"[{n}]…[/{n}] is lost{words}",
            ORDER: f"[/{n}] comes before [{n}]{at}",
            DUPLICATED: f"[{n}]…[/{n}] appears more than once{at}",
            CROSSED: f"[{n}]…[/{n}] crosses another pair{at}",
            NESTING: f"[{n}]…[/{n}] is nested differently than in the source{at}",
            ATOM_LOST: f"[{n}] (code, math, a link or an image) is lost",
            ATOM_DUPLICATED: f"[{n}] appears more than once{at}",
        }[self.code]


def structure(source: str) -> tuple[dict[int, str], set[int]]:
    """The source's pairs (number -> inner text, placeholders included) and atoms."""
    opens = {int(m.group(2)): m for m in PLACEHOLDER_RE.finditer(source) if not m.group(1)}
    closes = {int(m.group(2)): m for m in PLACEHOLDER_RE.finditer(source) if m.group(1)}
    pairs = {n: source[opens[n].end():closes[n].start()] for n in opens if n in closes
             and closes[n].start() >= opens[n].end()}
    return pairs, set(opens) - set(pairs)


def visible(text: str) -> str:
    """Text without placeholders, whitespace collapsed."""
    return " ".join(PLACEHOLDER_RE.sub(" ", text).split())


def _excerpt(text: str, start: int, end: int, width: int = 24) -> str:
    left, right = max(0, start - width), min(len(text), end + width)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def _spans(text: str, numbers: set[int]) -> dict[int, tuple[int, int]]:
    """Where each pair sits in `text` (opener start, closer end), for pairs with one opener before one closer."""
    spans = {}
    for n in numbers:
        o, c = text.find(f"[{n}]"), text.find(f"[/{n}]")
        if 0 <= o < c and text.count(f"[{n}]") == 1 and text.count(f"[/{n}]") == 1:
            spans[n] = (o, c + len(f"[/{n}]"))
    return spans


def _relation(a: tuple[int, int], b: tuple[int, int]) -> str:
    if a[1] <= b[0] or b[1] <= a[0]:
        return "apart"
    if a[0] <= b[0] and b[1] <= a[1]:
        return "contains"
    if b[0] <= a[0] and a[1] <= b[1]:
        return "inside"
    return "crossed"


def analyse(source: str, output: str) -> list[MarkupProblem]:
    """Every markup problem of `output` against `source` (both with placeholders)."""
    pairs, atoms = structure(source)
    counts = Counter((m.group(1), int(m.group(2))) for m in PLACEHOLDER_RE.finditer(output))
    problems: list[MarkupProblem] = []
    intact: set[int] = set()
    for n, inner in sorted(pairs.items()):
        o, c = counts[("", n)], counts[("/", n)]
        words = visible(inner)
        opener, closer = output.find(f"[{n}]"), output.find(f"[/{n}]")
        if (o, c) == (0, 0):
            problems.append(MarkupProblem(LOST, n, "", words))
        elif o == 0 or c == 0:
            at = opener if o else closer
            problems.append(MarkupProblem(SIDE_LOST, n, _excerpt(output, at, at + 5), words))
        elif o > 1 or c > 1:
            problems.append(MarkupProblem(DUPLICATED, n, _excerpt(output, opener, closer + 5), words))
        elif closer < opener:
            problems.append(MarkupProblem(ORDER, n, _excerpt(output, closer, opener + 5), words))
        else:
            body = output[opener + len(f"[{n}]"):closer]
            # Emptied: the source's pair wrapped something visible (a word, or a sign such as "<"), the
            # output's wraps nothing: the same rule export uses to leave such a pair out (adapt.empty_markup).
            # A wordy pair left wrapping only punctuation counts as emptied too.
            bare = not PLACEHOLDER_RE.search(body)
            if bare and ((words and not visible(body)) or (_WORDY.search(words) and not _WORDY.search(body))):
                problems.append(MarkupProblem(EMPTIED, n, _excerpt(output, opener, closer + len(f"[/{n}]")), words))
            else:
                intact.add(n)
    problems += _crossings(source, output, intact, pairs)
    for n in sorted(atoms):
        k = counts[("", n)]
        if k == 0:
            problems.append(MarkupProblem(ATOM_LOST, n, ""))
        elif k > 1:
            at = output.find(f"[{n}]")
            problems.append(MarkupProblem(ATOM_DUPLICATED, n, _excerpt(output, at, at + 5)))
    return problems


def _crossings(source: str, output: str, intact: set[int], pairs: dict[int, str]) -> list[MarkupProblem]:
    """Pairs that cross in the output, or whose nesting differs from the source's (reported once, on the
    pair that closes later)."""
    if len(intact) < 2:
        return []
    src, out = _spans(source, set(pairs)), _spans(output, intact)
    found: dict[int, str] = {}
    numbers = sorted(n for n in intact if n in src and n in out)
    for i, a in enumerate(numbers):
        for b in numbers[i + 1:]:
            now, was = _relation(out[a], out[b]), _relation(src[a], src[b])
            if now == was:
                continue
            later = a if out[a][1] >= out[b][1] else b
            if now == "crossed":
                found[later] = CROSSED
            elif was != "crossed":
                found.setdefault(later, NESTING)
    return [MarkupProblem(code, n, _excerpt(output, *out[n]), visible(pairs[n])) for n, code in sorted(found.items())]


def broken_pairs(problems: list[MarkupProblem]) -> list[int]:
    """Pairs whose placement cannot be trusted: candidates for placement by alignment."""
    return sorted({p.number for p in problems if p.code in STRUCTURAL})
