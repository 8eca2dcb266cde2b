"""Simplification to a reading level: pick the segments above the target, simplify, guard, store.

Only segments whose grade is above the target are given to the simplifier (and inside them only the
sentences above it). Every output is QA-checked and guarded (adapt.simplify_guards); one that fails a
rejecting guard is stored as a suggestion rejected by `guard`, with the flags saying why, so the
reviewer can see it (`adapt suggestions R --status rejected`) and bring it back (`adapt undo`).

Simplify suggestions carry the resource's own language as their target language, so that
`adapt export R --to en` writes the simplified English and `--to pt` a translation: one export
selection (adapt.export) for both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from adapt import languages
from adapt.errors import UserError
from adapt.pipeline import Progress, SegmentInput, StepResult, run_step
from adapt.qa import QAInput, pair_numbers, run_checks
from adapt.readability import Readability, document_readability, readability
from adapt.simplify_guards import (
    GUARDS,
    MEANING_THRESHOLD,
    GuardContext,
    guard_details,
    meaning_similarity,
    plain,
    rejecting,
)
from adapt.store import Store

GUARD_ACTOR = "guard"
# Grade formulas mean nothing on a heading or a label ("Photosynthesis" alone scores grade 22), and a
# model asked to simplify one word invents a sentence: shorter segments are never simplified.
MIN_WORDS = 8
SIMPLIFY_LANGUAGES = ("en",)
# Their suggestions are of origin "rule", not "model"; the packaged simplifiers are English only.
RULE_SIMPLIFIERS = ("rules", "structural", "lexical", "default")


def describe_operations(operations: Any) -> list[str]:
    """A simplification's stored operations (scores["operations"]) as lines for the reviewer
    ('replaced "commence" -> "start"', 'split at relative-clause ("which")'); malformed entries are skipped."""
    from models.simplifiers.operations import Operation

    if not isinstance(operations, list):
        return []
    return [Operation.from_json(op).describe() for op in operations
            if isinstance(op, dict) and "kind" in op and "rule" in op]


def check_simplify_language(language: str) -> None:
    if not any(languages.same_language(language, supported) for supported in SIMPLIFY_LANGUAGES):
        raise UserError(f"simplification works on English text; this text is in {language}",
                        hint="simplify the English original, then translate it (adapt translate --simplify)")


def parse_level(level: str | float | int) -> float:
    """"grade:6" (or a bare 6) → 6.0. Grades run from 1 to 18."""
    if isinstance(level, (int, float)):
        grade = float(level)
    else:
        match = re.fullmatch(r"\s*(?:grade\s*:\s*)?(\d+(?:\.\d+)?)\s*", str(level), re.IGNORECASE)
        if not match:
            raise UserError(f"cannot read the level {level!r}", hint="give a US school grade, e.g. --level grade:6")
        grade = float(match.group(1))
    if not 1 <= grade <= 18:
        raise UserError(f"grade {grade:g} is out of range", hint="give a grade from 1 to 18, e.g. grade:6")
    return grade


@dataclass(frozen=True)
class SimplifySummary:
    resource_id: int
    target_grade: float
    segments: int  # translatable segments
    above_target: int  # segments the simplifier was given
    suggestions: int  # new suggestions offered (pending)
    flagged: int  # of those, how many carry a non-rejecting flag
    rejected: int  # new suggestions the guards rejected
    unchanged: int  # above the target but the simplifier returned the text as it was, or already stored
    grade_before: float
    grade_after: float  # the document's grade with every offered suggestion applied
    rejections: dict[str, int] = field(default_factory=dict)  # flag code -> count among rejected

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.resource_id, "target_grade": self.target_grade, "segments": self.segments,
            "above_target": self.above_target, "suggestions": self.suggestions, "flagged": self.flagged,
            "rejected": self.rejected, "unchanged": self.unchanged, "grade_before": round(self.grade_before, 2),
            "grade_after": round(self.grade_after, 2), "rejections": self.rejections,
        }


class SimplifyStep:
    """Simplify a batch of segments with any `models.simplifiers.Simplifier` and guard the outputs.

    Unlike a translation step it returns results only for segments it changed: segments at or below
    the target are not touched at all.
    """

    name = "simplify"
    one_per_segment = False

    def __init__(
        self,
        simplifier: Any,
        *,
        target_grade: float,
        language: str = "en",
        embedder: Any = None,
        threshold: float = MEANING_THRESHOLD,
        keep_terms: Sequence[str] = (),
        extra_checks: Sequence[Any] = (),
    ) -> None:
        check_simplify_language(language)
        self.simplifier = simplifier
        self.target_grade = target_grade
        self.target_language = language
        self.embedder = embedder
        self.threshold = threshold
        self.keep_terms = tuple(keep_terms)
        self.extra_checks = tuple(extra_checks)  # e.g. the licence module's credit check

    def signature(self) -> dict[str, Any]:
        sig = self.simplifier.signature().to_json()
        sig["settings"] = {**sig.get("settings", {}), "target_grade": self.target_grade,
                           "meaning_threshold": self.threshold}
        return sig

    def needs_simplifying(self, segment: SegmentInput) -> bool:
        measured = readability(plain(segment.text), self.target_language)
        return measured.words >= MIN_WORDS and measured.grade > self.target_grade

    def __call__(self, batch: Sequence[SegmentInput]) -> list[StepResult]:
        hard = [s for s in batch if self.needs_simplifying(s)]
        if not hard:
            return []
        outputs, operations = self._rewrite([s.text for s in hard])
        if len(outputs) != len(hard):
            raise RuntimeError(f"simplifier {self.simplifier.name} returned {len(outputs)} texts for {len(hard)}")
        changed = [(s, o, ops) for s, o, ops in zip(hard, outputs, operations)
                   if o.strip() and o.strip() != s.text.strip()]
        if not changed:
            return []
        similarities = self._similarities([s.text for s, _, _ in changed], [o for _, o, _ in changed])
        signature = self.signature()
        results = []
        for (segment, output, ops), similarity in zip(changed, similarities):
            before = readability(plain(segment.text), self.target_language)
            after = readability(plain(output), self.target_language)
            ctx = GuardContext(self.target_grade, before.grade, after.grade, similarity, self.threshold,
                               self.keep_terms)
            qa = QAInput(source=segment.text, output=output, task=self.name,
                         source_language=self.target_language, target_language=self.target_language,
                         pair_numbers=pair_numbers(segment.placeholders), details=guard_details(ctx))
            flags = run_checks(qa, extra=(*GUARDS, *self.extra_checks), skip=("untranslated",))
            scores: dict[str, Any] = {
                "grade_before": round(before.grade, 2), "grade_after": round(after.grade, 2),
                "ease_before": round(before.ease, 2), "ease_after": round(after.ease, 2),
                "target_grade": self.target_grade,
                "similarity": None if similarity is None else round(float(similarity), 4),
                "guard": "rejected" if rejecting(flags) else "passed",
            }
            if ops:  # what the simplifier did, for the reviewer (models.simplifiers.operations)
                scores["operations"] = [op.to_json() for op in ops]
            refused = tuple(f.code for f in rejecting(flags))
            results.append(StepResult(segment, output, signature, flags, scores,
                                      origin="rule" if self.simplifier.name in RULE_SIMPLIFIERS else "model",
                                      rejected_by=GUARD_ACTOR if refused else None, rejecting=refused))
        return results

    def _rewrite(self, texts: list[str]) -> tuple[list[str], list[list[Any]]]:
        """Outputs and, from simplifiers that report them, the operations behind each output."""
        rewrite = getattr(self.simplifier, "rewrite", None)
        if rewrite is None:
            outputs = self.simplifier.simplify(texts, target_grade=self.target_grade)
            return outputs, [[] for _ in outputs]
        done = rewrite(texts, target_grade=self.target_grade, keep_terms=self.keep_terms)
        return [d.text for d in done], [list(d.operations) for d in done]

    def _similarities(self, sources: list[str], outputs: list[str]) -> list[float | None]:
        if self.embedder is None:
            return [None] * len(sources)
        return [float(v) for v in meaning_similarity(self.embedder, sources, outputs)]


def run_simplify(
    store: Store,
    resource_id: int,
    step: SimplifyStep,
    *,
    segments: Sequence[SegmentInput] | None = None,
    batch_size: int = 16,
    progress: Progress | None = None,
) -> SimplifySummary:
    """Run a SimplifyStep through the step runner (adapt.pipeline.run_step) over a resource (or the
    `segments` given, e.g. those its licence lets us adapt) and sum up the readability it reaches;
    the runner stores guard failures rejected."""
    if segments is None:
        segments = [SegmentInput.from_record(r) for r in store.segments(resource_id) if r.translatable]
    above = sum(step.needs_simplifying(s) for s in segments)
    run = run_step(store, resource_id, step, segments=segments, batch_size=batch_size, progress=progress)
    before = document_readability([plain(s.text) for s in segments], step.target_language)
    after = document_readability([plain(run.offered.get(s.segment_id, s.text)) for s in segments],
                                 step.target_language)
    # Above the target but nothing new offered or refused: the simplifier kept the text, or it was stored.
    unchanged = above - run.suggestions - run.rejected
    return SimplifySummary(resource_id, step.target_grade, run.segments, above, run.suggestions, run.flagged,
                           run.rejected, unchanged, before.grade, after.grade, run.rejections)


def simplified_inputs(store: Store, resource_id: int, language: str) -> list[SegmentInput]:
    """The resource's segments, each with the simplified text a translation should start from.

    A reviewer's accepted or edited simplification wins; failing that the newest pending one; a
    segment whose simplifications were all rejected (by the guard or a person) keeps its own text.
    """
    by_segment: dict[int, Any] = {}
    for s in store.suggestions(resource_id, task="simplify", target_language=language):
        if s.status == "rejected" or s.segment_id is None:
            continue
        current = by_segment.get(s.segment_id)
        rank = (s.status in ("accepted", "edited"), s.decided_at or "", s.id)
        if current is None or rank > current[0]:
            by_segment[s.segment_id] = (rank, s.current_text)
    inputs = []
    for record in store.segments(resource_id):
        if not record.translatable:
            continue
        segment = SegmentInput.from_record(record)
        if record.id in by_segment:
            segment = SegmentInput(segment.resource_id, segment.segment_id, segment.key, segment.kind,
                                   by_segment[record.id][1], segment.placeholders)
        inputs.append(segment)
    return inputs


def segment_readability(store: Store, resource_id: int, language: str) -> tuple[list[tuple[str, Readability]],
                                                                                 Readability]:
    """Per segment (key, readability) and the whole document's readability."""
    records = [r for r in store.segments(resource_id) if r.translatable]
    rows = [(r.key, readability(plain(r.source_text), language)) for r in records]
    return rows, document_readability([plain(r.source_text) for r in records], language)
