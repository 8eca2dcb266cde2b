"""Pipeline steps: named callables from a batch of segments to suggestions. They never write files
and never decide; the runner stores what they return.

A step is pure over its batch (the model it calls aside), so that running batches elsewhere (Ray,
several processes) stays a small change; see ARCHITECTURE.md.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from adapt import languages
from adapt.progress import Progress
from adapt.qa import Check, Flag, QAInput, pair_numbers, run_checks
from adapt.store import NewSuggestion, SegmentRecord, Store

if TYPE_CHECKING:
    from adapt.glossary import Glossary
    from adapt.memory import TranslationMemory
    from models.translators.base import Translator



@dataclass(frozen=True)
class SegmentInput:
    """What a step sees of a segment: its text with placeholders, and where it came from."""

    resource_id: int
    segment_id: int
    key: str
    kind: str
    text: str
    placeholders: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_record(cls, record: SegmentRecord) -> SegmentInput:
        return cls(record.resource_id, record.id, record.key, record.kind, record.source_text,
                   tuple(record.placeholders))


@dataclass(frozen=True)
class StepResult:
    """One suggestion a step offers. `segment` is None for a suggestion about the whole resource (a tag,
    a related resource); `task` then names it. `rejected_by` is the step's own verdict: a guard that
    refused the output (the runner stores it rejected by that actor, with the flags saying why)."""

    segment: SegmentInput | None
    text: str
    signature: dict[str, Any]
    flags: list[Flag] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)
    origin: str = "model"
    source_text: str | None = None  # when the step worked on something other than the segment's text
    extra: tuple[StepResult, ...] = ()  # more suggestions for the same segment (e.g. fuzzy memory matches)
    rejected_by: str | None = None
    rejecting: tuple[str, ...] = ()  # the codes of the flags that made `rejected_by` refuse it
    task: str | None = None  # a task other than the step's name (tag:subject...)
    resource_id: int | None = None  # for a suggestion about the whole resource

    def _source_text(self) -> str:
        if self.source_text is not None:
            return self.source_text
        return self.segment.text if self.segment is not None else ""

    def to_new_suggestion(self, task: str, target_language: str | None) -> NewSuggestion:
        resource_id = self.segment.resource_id if self.segment is not None else self.resource_id
        if resource_id is None:
            raise ValueError("a StepResult about the whole resource needs resource_id")
        return NewSuggestion(
            resource_id=resource_id,
            segment_id=self.segment.segment_id if self.segment is not None else None,
            task=self.task or task,
            target_language=target_language,
            source_text=self._source_text(),
            text=self.text,
            model_signature=self.signature,
            qa_flags=[f.to_json() for f in self.flags],
            scores=self.scores,
            origin=self.origin,
            rejected_by=self.rejected_by,
        )


class Step(Protocol):
    """A named callable from a batch of segments to the suggestions it offers: pure over its batch (the
    model it calls aside), never writing and never deciding. `one_per_segment` steps (translate) answer
    every segment; others (simplify, tag, related) answer those they have something for."""

    @property
    def name(self) -> str:
        """The task recorded with each suggestion: translate, simplify..."""

    @property
    def target_language(self) -> str | None: ...

    @property
    def one_per_segment(self) -> bool: ...

    def __call__(self, batch: Sequence[SegmentInput]) -> list[StepResult]: ...


class TranslateStep:
    """Translate segments with any `models.translators.Translator`; QA-check every output.

    With a translation memory, an exact match becomes the suggestion (origin "memory") and the model is
    not asked; fuzzy matches are added as extra suggestions (origin "memory-fuzzy", flagged). Segments in
    `decided_segments` get no memory offers, and a text in `rejected` for a segment is not offered there
    (so a rejected exact match no longer keeps the model from running). With a
    glossary, do-not-translate terms are hidden behind placeholders while the model runs, and its
    output is checked against every term. Identical texts in a batch are translated once.
    """

    name = "translate"
    one_per_segment = True

    def __init__(
        self,
        translator: Translator,
        *,
        source: str,
        target: str,
        extra_checks: Iterable[Check] = (),
        memory: TranslationMemory | None = None,
        glossary: Glossary | None = None,
        decided_segments: Iterable[int] = (),  # segments a reviewer already decided: no memory offers
        rejected: Mapping[int, Collection[str]] | None = None,  # segment -> texts a reviewer rejected there
        markup_placement: bool = True,  # place broken markup by alignment (adapt.markup_align); False: older repair
        aligner: Any = None,  # a models.alignment.WordAligner; None: e5 (loaded when markup first breaks)
    ) -> None:
        self.translator = translator
        self.source = source
        self.target_language = target
        self.memory = memory
        self.glossary = glossary if glossary else None
        self.extra_checks = tuple(extra_checks) + ((self.glossary.check,) if self.glossary else ())
        self.decided_segments = frozenset(decided_segments)
        self.rejected = rejected or {}
        self._signature: dict[str, Any] | None = None
        self.markup_placement = markup_placement
        self._aligner = aligner
        self._repairs: dict[str, tuple[list[dict[str, Any]], str]] = {}  # source text -> (scores, flag message)
        # Outputs of this run by input text: a paragraph repeated anywhere in the resource (headings like
        # "Concepts in Practice", exercise labels) is translated once, not once per batch.
        self._done: dict[str, str] = {}
        self._notes: dict[str, dict[str, Any]] = {}  # source text -> the engine's notes on its output

    def signature(self) -> dict[str, Any]:
        if self._signature is None:
            self._signature = self.translator.signature(self.source, self.target_language).to_json()
        return self._signature

    def _check(self, segment: SegmentInput, output: str) -> list[Flag]:
        qa = QAInput(
            source=segment.text,
            output=output,
            task=self.name,
            source_language=self.source,
            target_language=self.target_language,
            pair_numbers=pair_numbers(segment.placeholders),
        )
        return run_checks(qa, extra=self.extra_checks)

    def _repair_markup(self, sources: list[str], outputs: list[str]) -> list[str]:
        """Outputs with broken paired markup placed again (adapt.markup_align: alignment and the pair's own
        translation), or with half-lost pairs put back (adapt.placeholder_repair) when placement is off;
        what was placed is remembered for the flag."""
        def translate(texts: list[str]) -> list[str]:
            return self.translator.translate(texts, source=self.source, target=self.target_language)

        if not self.markup_placement:
            return self._repair_half_lost(sources, outputs, translate)
        from adapt.markup_align import place_batch

        placed = place_batch(sources, outputs, translate, self._markup_aligner())
        for source, result in zip(sources, placed):
            if result.placements or result.dropped or result.quotes:
                self._repairs[source] = _placement_note(result)
        return [result.text for result in placed]

    def _markup_aligner(self) -> Any:
        if self._aligner is None:
            from models.alignment import E5Aligner

            self._aligner = E5Aligner()
        return self._aligner

    def _repair_half_lost(self, sources: list[str], outputs: list[str], translate: Callable[[list[str]], list[str]]
                          ) -> list[str]:
        from adapt.placeholder_repair import repair_batch

        repaired = repair_batch(sources, outputs, translate)
        for source, (_, repairs) in zip(sources, repaired):
            if repairs:
                self._repairs[source] = (
                    [{"number": r.number, "source": r.inner, "placed_on": r.placed, "similarity": round(r.score, 1)}
                     for r in repairs],
                    "the model lost markup; put back by matching: " + "; ".join(
                        f"[{r.number}] “{r.inner}” → “{r.placed}”" for r in repairs))
        return [output for output, _ in repaired]

    def _remember_notes(self, sources: list[str], outputs: list[str]) -> None:
        """What an engine that explains itself (`notes(output)`: apertium, auto) said about each output."""
        notes_of = getattr(self.translator, "notes", None)
        if notes_of is None:
            return
        for source, output in zip(sources, outputs):
            notes = notes_of(output)
            if notes:
                self._notes[source] = notes

    def _from_memory(self, segment: SegmentInput, match: Any, *, fuzzy: bool) -> StepResult:
        from adapt.memory import memory_origin_signature

        flags = self._check(segment, match.text)
        variant = match.unit.target_language
        if variant and variant != self.target_language and languages.match_rank(variant, self.target_language) == 2:
            flags.insert(0, Flag("language-variant", f"from memory written for {variant} (nothing for "
                                                     f"{self.target_language} was found)"))
        if fuzzy:
            flags.insert(0, Flag("memory-fuzzy", f"{match.similarity:.0f}% match from memory "
                                                 f"({match.unit.describe()}): "
                                                 f"its source was “{match.unit.source_text}”"))
        return StepResult(segment, match.text, memory_origin_signature(match), flags,
                          scores={"memory": match.to_json()}, origin="memory-fuzzy" if fuzzy else "memory")

    def __call__(self, batch: Sequence[SegmentInput]) -> list[StepResult]:
        results: list[StepResult | None] = [None] * len(batch)
        todo: list[int] = []
        for i, segment in enumerate(batch):
            memory = self.memory if segment.segment_id not in self.decided_segments else None
            # A match the reviewer rejected for this segment does not stand in for the model again.
            match = memory.exact(segment.text, exclude_segment=segment.segment_id,
                                 exclude_texts=self.rejected.get(segment.segment_id, ())) if memory else None
            if match is not None:
                results[i] = self._from_memory(segment, match, fuzzy=False)
            else:
                todo.append(i)
        protected: dict[int, tuple[str, dict[int, str]]] = {}
        for i in todo:
            protected[i] = self.glossary.protect(batch[i].text) if self.glossary else (batch[i].text, {})
        unique = [t for t in dict.fromkeys(text for text, _ in protected.values()) if t not in self._done]
        outputs = self.translator.translate(unique, source=self.source, target=self.target_language) if unique else []
        if len(outputs) != len(unique):
            raise RuntimeError(f"translator {self.translator.name} returned {len(outputs)} texts for {len(unique)}")
        self._remember_notes(unique, outputs)
        outputs = self._repair_markup(unique, outputs)
        if len(self._done) > 200_000:
            self._done.clear()
            self._repairs.clear()
            self._notes.clear()
        self._done.update(zip(unique, outputs))
        translated = self._done
        for i in todo:
            segment = batch[i]
            text, restore = protected[i]
            output = self.glossary.restore(translated[text], restore) if self.glossary else translated[text]
            fuzzy = (self.memory.fuzzy(segment.text, exclude_segment=segment.segment_id,
                                       exclude_texts=self.rejected.get(segment.segment_id, ()))
                     if self.memory is not None and segment.segment_id not in self.decided_segments else [])
            scores: dict[str, Any] = {}
            flags = self._check(segment, output)
            repairs = self._repairs.get(text)
            if repairs:
                scores["placeholder_repairs"], message = repairs
                flags.insert(0, Flag("placeholder-repaired", message))
            notes = self._notes.get(text)
            if notes:
                scores["engine_notes"] = notes  # the route's hops (pivot text) and the words a hop did not know
                flags.extend(engine_note_flags(notes))
            if restore:
                scores["glossary_protected"] = sorted(set(restore.values()))
            if self.glossary:
                variants = self.glossary.used_variants(segment.text)
                if variants:
                    scores["glossary_variants"] = variants  # term -> the language of the entry obeyed
            if fuzzy:
                scores["memory_fuzzy"] = [m.to_json() for m in fuzzy]
            results[i] = StepResult(
                segment, output, self.signature(), flags, scores=scores,
                extra=tuple(self._from_memory(segment, m, fuzzy=True) for m in fuzzy),
            )
        return [r for r in results if r is not None]


def _placement_note(result: Any) -> tuple[list[dict[str, Any]], str]:
    """Scores and the flag message for an adapt.markup_align.MarkupResult."""
    scores = [{"number": p.number, "source": p.source, "placed_on": p.placed, "similarity": p.score, "how": p.how,
               "retranslated": p.hidden} for p in result.placements]
    said = [f"[{p.number}] “{p.source}” → “{p.placed}” ({p.how})" for p in result.placements]
    said += [f"quotes around “{q}”" for q in result.quotes]
    said += [f"[{n}][/{n}] was empty and could not be placed: dropped" for n in result.dropped]
    head = "the model broke markup" + (" (translated again with the markup hidden)" if result.retranslated else "")
    return scores, head + "; placed by alignment and matching: " + "; ".join(said)


def engine_note_flags(notes: Mapping[str, Any]) -> list[Flag]:
    """A flag naming the words a rule-based engine left untranslated (Apertium's *, # and @ marks),
    from its own notes or from each hop of a route (then saying which hop: the words of a pivot hop
    are in the pivot language)."""
    kinds = ("unknown", "not_generated", "not_transferred")
    sources = [("", notes)] + [(str(hop.get("hop", "")), hop.get("marked", {})) for hop in notes.get("hops", [])
                               if isinstance(hop, Mapping)]
    parts = []
    for hop, marked in sources:
        words = list(dict.fromkeys(w for kind in kinds for w in marked.get(kind, [])))
        if words:
            parts.append((f"{hop}: " if hop else "") + ", ".join(words))
    if not parts:
        return []
    return [Flag("untranslated-words", "the engine did not know these words and left them as they were: "
                 + "; ".join(parts))]


FIRST_BATCH = 4  # the first rows reach the reviewer after a few segments, not after a whole batch


@dataclass(frozen=True)
class RunSummary:
    resource_id: int
    task: str
    segments: int
    suggestions: int  # new suggestions stored (and offered: not rejected by a guard)
    flagged: int  # of the new ones, how many carry QA flags
    unchanged: int  # outputs equal to a suggestion already stored (not added again)
    rejected: int = 0  # new suggestions the step's guards rejected (stored rejected)
    rejections: dict[str, int] = field(default_factory=dict)  # flag code -> count among rejected
    offered: dict[int, str] = field(default_factory=dict)  # segment id -> the text newly offered

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.resource_id,
            "task": self.task,
            "segments": self.segments,
            "suggestions": self.suggestions,
            "flagged": self.flagged,
            "unchanged": self.unchanged,
        }


def run_step(
    store: Store,
    resource_id: int,
    step: Step,
    *,
    segments: Sequence[SegmentInput] | None = None,
    batch_size: int = 64,
    progress: Progress | None = None,
    first_batch: int = FIRST_BATCH,
) -> RunSummary:
    """The one step runner: run a step over a resource's translatable segments (or `segments`) in
    batches, check what it returns, store its suggestions, and apply its verdicts: a result a guard
    rejected is stored rejected by that guard, with its flags, so a reviewer can see it and bring it
    back (`adapt undo`). Re-running adds nothing already stored. Batches start at `first_batch` segments
    and double up to `batch_size` (`batch_bounds`)."""
    if segments is None:
        segments = [SegmentInput.from_record(r) for r in store.segments(resource_id) if r.translatable]
    total, done, added, flagged, unchanged, rejected = len(segments), 0, 0, 0, 0, 0
    rejections: dict[str, int] = {}
    offered: dict[int, str] = {}
    if progress:
        progress(0, total)
    for start, stop in batch_bounds(total, batch_size, first_batch):
        batch = segments[start:stop]
        results = step(batch)
        _check_results(step, batch, results)
        everything = [*results, *(e for r in results for e in r.extra)]
        # One transaction per batch: its suggestions (and a guard's rejections of them) land together,
        # so a reviewer sees them while the rest runs, and a run killed mid-way leaves whole batches that
        # a retry skips (add_suggestions never stores the same text twice).
        ids = store.add_suggestions([r.to_new_suggestion(step.name, step.target_language) for r in everything])
        for number, (result, new_id) in enumerate(zip(everything, ids)):
            if new_id is None:
                unchanged += number < len(results)
            elif result.rejected_by:
                rejected += 1
                for code in result.rejecting:
                    rejections[code] = rejections.get(code, 0) + 1
            else:
                added += 1
                flagged += bool(result.flags)
                if result.segment is not None and number < len(results):
                    offered[result.segment.segment_id] = result.text
        done += len(batch)
        if progress:
            progress(done, total)
    return RunSummary(resource_id, step.name, total, added, flagged, unchanged, rejected, rejections, offered)


def batch_bounds(total: int, batch_size: int, first: int = FIRST_BATCH) -> list[tuple[int, int]]:
    """(start, stop) of each batch: small at first, doubling up to `batch_size`, so that a job's first
    suggestions (and its progress) show early while later batches keep the model's throughput."""
    bounds, start, size = [], 0, max(1, min(first, batch_size))
    while start < total:
        stop = min(total, start + size)
        bounds.append((start, stop))
        start, size = stop, min(batch_size, size * 2)
    return bounds


def _check_results(step: Step, batch: Sequence[SegmentInput], results: Sequence[StepResult]) -> None:
    """A step's answer must be about its batch: the runner names the step when it is not."""
    if step.one_per_segment and len(results) != len(batch):
        raise RuntimeError(f"step {step.name} returned {len(results)} results for {len(batch)} segments")
    ids = {s.segment_id for s in batch}
    for result in results:
        if result.segment is not None and result.segment.segment_id not in ids:
            raise RuntimeError(f"step {step.name} returned a result for segment {result.segment.segment_id}, "
                               "which is not in its batch")
