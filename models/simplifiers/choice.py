"""The default simplifier's per-sentence choice among candidate rewrites, by a tuned linear score.

Candidates of one sentence (models.simplifiers.composite builds them): the lexical substitutions, the
compressions (models.simplifiers.compression), the structural rules, and their combinations. Each is
described by features that need no reference (what was done, how much the grade fell, whether it meets
the guards' grade rule); the candidate with the highest `score` wins when that is above 0 (the source's
own score), else the sentence stays as it was.

The weights were fitted by scripts/tune_simplify_choice.py on ASSET validation sentences 1000-1999
(development data, never a test set): coordinate search maximising the corpus SARI of what the guards
let through. The README reports them on sentences 1-150, which the search never saw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from models.simplifiers.base import GradeFunction
from models.simplifiers.operations import Operation

# The guards' grade rule (adapt.simplify_guards.MIN_GRADE_GAIN; models/ does not import adapt's guards): a
# suggestion must reach the target grade or lower the grade by at least this much.
MIN_GRADE_GAIN = 1.0

FEATURES = ("replace", "split", "rewrite", "parenthetical", "apposition-drop", "relative-drop",
            "participial-drop", "including-drop", "adverb-drop", "dropped_words", "grade_drop", "passes",
            "shorter")

# Fitted by scripts/tune_simplify_choice.py (see the module docstring); a feature missing here weighs 0.
WEIGHTS: dict[str, float] = {
    "replace": 0.25, "split": 0.5, "rewrite": -1.0, "parenthetical": 0.5, "apposition-drop": 0.1,
    "relative-drop": 0.5, "participial-drop": 0.5, "including-drop": 0.5, "adverb-drop": 0.5,
    "dropped_words": 0.0, "grade_drop": 0.0, "passes": 2.0, "shorter": 0.0,
}


@dataclass
class Candidate:
    """One rewrite of a sentence: its text, what made it, and the name of the path ("lexical+compress")."""

    name: str
    text: str
    operations: list[Operation] = field(default_factory=list)


def features(source: str, candidate: Candidate, *, grade: GradeFunction, target_grade: float,
             grade_before: float | None = None) -> dict[str, float]:
    """What a candidate did, measured without references: counts of its operations by kind or rule, words
    dropped, the grade drop, whether it meets the guards' grade rule, and how much shorter it is."""
    before = grade(source) if grade_before is None else grade_before
    after = grade(candidate.text)
    out = dict.fromkeys(FEATURES, 0.0)
    for op in candidate.operations:
        if op.kind == "replace":
            out["replace"] += 1
        elif op.kind == "split":
            out["split"] += 1
        elif op.kind == "rewrite":
            out["rewrite"] += 1
        elif op.kind == "drop":
            out[op.rule if op.rule in out else "parenthetical"] += 1
            out["dropped_words"] += len(op.before.split())
    out["grade_drop"] = before - after
    out["passes"] = float(bool(candidate.operations) and (after <= target_grade or before - after >= MIN_GRADE_GAIN))
    out["shorter"] = 1.0 - len(candidate.text) / max(1, len(source))
    return out


def score(feature_values: Mapping[str, float], weights: Mapping[str, float] = WEIGHTS) -> float:
    return sum(weights.get(name, 0.0) * value for name, value in feature_values.items())


def choose(source: str, candidates: Sequence[Candidate], *, grade: GradeFunction, target_grade: float,
           weights: Mapping[str, float] = WEIGHTS) -> Candidate:
    """The best-scoring candidate that changes something, or the source (no operations) when none scores
    above 0."""
    best = Candidate("source", source, [])
    best_score = 0.0
    before = grade(source)
    for candidate in candidates:
        if not candidate.operations or candidate.text.strip() == source.strip():
            continue
        value = score(features(source, candidate, grade=grade, target_grade=target_grade, grade_before=before),
                      weights)
        if value > best_score:
            best, best_score = candidate, value
    return best
