"""Guards on every simplification: a suggestion that fails one is not offered as is.

Each guard is a QA check `(QAInput) -> list[Flag]` (adapt.qa), so a failure is a flag with a message the
reviewer reads. Simplification runs the standard QA checks plus these; a flag whose code is in
`REJECTING_CODES` makes the suggestion *rejected by the guard* (stored, with its flags, status
`rejected`, decided by `guard`: visible with `adapt suggestions RESOURCE --status rejected` and
recoverable with `adapt undo`); any other flag leaves it pending and flagged.

    meaning-lost       embedding similarity to the source below MEANING_THRESHOLD (calibrated: README)
    number-missing     a number of the source is gone            (adapt.qa.check_numbers)
    number-invented    a number the source does not have appeared (small models invent ages and dates)
    placeholder-*      markup, math, code or a link lost or added (adapt.qa.check_placeholders)
    markup-emptied     a pair kept but its words moved outside; markup-crossed: pairs crossed (adapt.markup_qa)
    term-lost          a term the user asked to keep (glossary) is gone
    not-simpler        the grade did not drop toward the target
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from adapt.document import PLACEHOLDER_RE
from adapt.qa import Check, Flag, QAInput, _numbers

# Calibrated with scripts/calibrate_meaning_guard.py on 600 OneStopEnglish ADV-ELE pairs with MiniLM: the
# best balanced accuracy; it keeps 98.5% of the human rewrites and rejects 97.8% of same-article
# mismatches and 100% of random ones (README, "Simplification").
MEANING_THRESHOLD = 0.65
MEANING_EMBEDDER = "minilm"  # English like the simplifiers; e5's cosines are compressed (MODELS.md)
MIN_GRADE_GAIN = 1.0  # a suggestion that does not reach the target must at least gain this much

REJECTING_CODES = frozenset({
    "meaning-lost", "number-missing", "number-invented", "placeholder-missing", "placeholder-extra",
    "placeholder-order", "markup-emptied", "markup-crossed", "url-changed", "term-lost", "not-simpler", "empty",
    "repetition",
})


def plain(text: str) -> str:
    """Text without placeholders, for embeddings and readability."""
    return " ".join(PLACEHOLDER_RE.sub(" ", text).split())


def meaning_similarity(embedder: Any, sources: Sequence[str], outputs: Sequence[str]) -> np.ndarray:
    """Cosine similarity of each source with its output (embeddings are unit length)."""
    if not sources:
        return np.zeros(0, dtype=np.float32)
    a = embedder.embed_passages([plain(s) for s in sources])
    b = embedder.embed_passages([plain(o) for o in outputs])
    return np.sum(a * b, axis=1)


@dataclass(frozen=True)
class GuardContext:
    """What the guards need beyond the two texts; `QAInput.details` carries it per suggestion."""

    target_grade: float
    grade_before: float
    grade_after: float
    similarity: float | None
    threshold: float = MEANING_THRESHOLD
    keep_terms: tuple[str, ...] = ()


def guard_meaning(qa: QAInput) -> list[Flag]:
    sim, threshold = qa.details.get("similarity"), qa.details.get("threshold", MEANING_THRESHOLD)
    if sim is None or sim >= threshold:
        return []
    return [Flag("meaning-lost", f"meaning may have changed: similarity to the source {sim:.2f} "
                                 f"is below {threshold:.2f}")]


def guard_invented_numbers(qa: QAInput) -> list[Flag]:
    extra = sorted((_numbers(qa.output) - _numbers(qa.source)).elements())
    return [Flag("number-invented", f"numbers the source does not have: {', '.join(extra)}")] if extra else []


def guard_terms(qa: QAInput) -> list[Flag]:
    lost = [t for t in qa.details.get("keep_terms", ()) if _has_term(qa.source, t) and not _has_term(qa.output, t)]
    return [Flag("term-lost", f"terms to keep are gone: {', '.join(lost)}")] if lost else []


def guard_simpler(qa: QAInput) -> list[Flag]:
    before, after, target = qa.details["grade_before"], qa.details["grade_after"], qa.details["target_grade"]
    if after <= target or before - after >= MIN_GRADE_GAIN:
        return []
    return [Flag("not-simpler", f"grade {before:.1f} → {after:.1f} does not get closer to the target {target:g}")]


GUARDS: tuple[Check, ...] = (guard_meaning, guard_invented_numbers, guard_terms, guard_simpler)


def guard_details(ctx: GuardContext) -> dict[str, Any]:
    return {
        "target_grade": ctx.target_grade, "grade_before": ctx.grade_before, "grade_after": ctx.grade_after,
        "similarity": ctx.similarity, "threshold": ctx.threshold, "keep_terms": ctx.keep_terms,
    }


def rejecting(flags: Iterable[Flag]) -> list[Flag]:
    return [f for f in flags if f.code in REJECTING_CODES]


def _has_term(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", plain(text), re.IGNORECASE) is not None
