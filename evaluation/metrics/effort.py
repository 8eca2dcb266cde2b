"""Human effort, from what reviewers did with the suggestions in the review store.

Each metric takes `records` (one `ReviewRecord` per suggestion, from `evaluation.effort`) and counts only
the decided ones (pending suggestions say nothing about effort yet):
- acceptance rate: accepted as is / decided;
- edit rate: word-level edit distance from the suggestion to the final text over the final text's
  length (HTER-like: a Levenshtein distance on words, without TER's block shifts), over kept suggestions
  (accepted ones count as 0 edits);
- chrF of each suggestion against its final text (corpus chrF, sacrebleu);
- unedited share: accepted as is / kept (accepted + edited);
- time to decision: seconds from the suggestion's creation to its first decision (median, p90, mean).
"""

from __future__ import annotations

import statistics
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from evaluation.metrics.base import Metric, Score


@dataclass(frozen=True)
class ReviewRecord:
    suggestion_id: int
    task: str
    source_language: str | None
    target_language: str | None
    model: str  # the model signature, short form (engine:model@version)
    text: str  # what the model suggested
    final_text: str | None  # the reviewer's edit, None if not edited
    status: str  # pending, accepted, edited, rejected
    created_at: str
    first_decision_at: str | None

    @property
    def decided(self) -> bool:
        return self.status != "pending"

    @property
    def kept(self) -> bool:
        return self.status in ("accepted", "edited")

    @property
    def final(self) -> str:
        return self.final_text if self.final_text is not None else self.text

    @property
    def seconds_to_decision(self) -> float | None:
        if not self.first_decision_at:
            return None
        start, end = datetime.fromisoformat(self.created_at), datetime.fromisoformat(self.first_decision_at)
        return max(0.0, (end - start).total_seconds())


def word_edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between the word sequences of a and b."""
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a.split(), b.split()))


class _EffortMetric(Metric):
    task = "review"

    def compute(self, *, records: Sequence[ReviewRecord], model: Mapping[str, Any] | None = None) -> Score:
        value, n, details = self._value(list(records))
        return self.score(value, n=n, model=model, details=details)

    @abstractmethod
    def _value(self, records: list[ReviewRecord]) -> tuple[float, int, dict[str, Any]]:
        """(value, number of records it is over, details) for one group of review records."""


class AcceptanceRate(_EffortMetric):
    name = "Accepted"

    def _value(self, records):
        decided = [r for r in records if r.decided]
        counts = {s: sum(1 for r in decided if r.status == s) for s in ("accepted", "edited", "rejected")}
        counts["pending"] = len(records) - len(decided)
        value = 100.0 * counts["accepted"] / len(decided) if decided else 0.0
        return value, len(decided), counts


class EditRate(_EffortMetric):
    name = "Edit rate"
    higher_is_better = False
    libraries = ("rapidfuzz",)

    def settings(self) -> dict[str, Any]:
        return {"unit": "word", "tok": "whitespace", "shifts": False, "over": "accepted+edited"}

    def _value(self, records):
        kept = [r for r in records if r.kept]
        edits = sum(word_edit_distance(r.text, r.final) for r in kept)
        words = sum(len(r.final.split()) for r in kept)
        return (100.0 * edits / words if words else 0.0), len(kept), {"edits": edits, "words": words}


class SuggestionChrF(_EffortMetric):
    name = "chrF(sugg,final)"
    libraries = ("sacrebleu",)

    def settings(self) -> dict[str, Any]:
        return {"nc": 6, "nw": 0, "beta": 2, "over": "accepted+edited"}

    def _value(self, records):
        from sacrebleu.metrics import CHRF

        kept = [r for r in records if r.kept]
        if not kept:
            return 0.0, 0, {}
        result = CHRF().corpus_score([r.text for r in kept], [[r.final for r in kept]])
        return result.score, len(kept), {"sacrebleu": str(result)}


class UneditedShare(_EffortMetric):
    name = "Unedited"

    def _value(self, records):
        kept = [r for r in records if r.kept]
        unedited = sum(1 for r in kept if r.status == "accepted")
        return (100.0 * unedited / len(kept) if kept else 0.0), len(kept), {"unedited": unedited}


class TimeToDecision(_EffortMetric):
    name = "Seconds to decision"
    higher_is_better = False

    def settings(self) -> dict[str, Any]:
        return {"from": "suggestion.created_at", "to": "first decision", "statistic": "median"}

    def _value(self, records):
        seconds = sorted(s for s in (r.seconds_to_decision for r in records) if s is not None)
        if not seconds:
            return 0.0, 0, {}
        p90 = seconds[min(len(seconds) - 1, int(round(0.9 * (len(seconds) - 1))))]
        details = {"mean": statistics.fmean(seconds), "p90": p90, "max": seconds[-1]}
        return statistics.median(seconds), len(seconds), details


EFFORT_METRICS: tuple[type[_EffortMetric], ...] = (AcceptanceRate, EditRate, SuggestionChrF, UneditedShare,
                                                   TimeToDecision)
