"""Tagging metrics against gold labels: micro precision, recall and F1 over label sets, and top-k
accuracy of the ranked predictions.

`gold` holds one collection of labels per item; `predicted` one *ranked* list per item (best first).
`k` limits the predictions that count (e.g. a tagger's top 3); `prefix` compares labels by their first
characters, for hierarchical codes (ISCED-F: prefix 3 = narrow field, 4 = detailed field).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from evaluation.metrics.base import MeanMetric, Metric, Score, check_aligned


def _checked_k(k: int) -> int:
    if k < 1:
        raise ValueError("k must be at least 1")
    return k


class _TagMetric(Metric):
    task = "tag"
    resamplable: ClassVar[bool] = True

    def __init__(self, *, k: int | None = None, prefix: int | None = None) -> None:
        self.k, self.prefix = (None if k is None else _checked_k(k)), prefix

    def settings(self) -> dict[str, Any]:
        return {"k": self.k if self.k is not None else "all", "prefix": self.prefix, "average": "micro"}

    def _label(self, label: str) -> str:
        label = str(label).strip()
        return label[: self.prefix] if self.prefix else label

    def _sets(self, gold: Sequence[Collection[str]], predicted: Sequence[Sequence[str]]):
        check_aligned(gold=gold, predicted=predicted)
        for g, p in zip(gold, predicted):
            g = [g] if isinstance(g, str) else list(g)
            p = [p] if isinstance(p, str) else list(p)
            ranked = list(dict.fromkeys(self._label(x) for x in p if str(x).strip()))
            yield {self._label(x) for x in g if str(x).strip()}, set(ranked[: self.k] if self.k else ranked)

    def segment_stats(self, *, gold: Sequence[Collection[str]], predicted: Sequence[Sequence[str]]) -> np.ndarray:
        """(true positives, predicted, gold) per item."""
        rows = [[len(g & p), len(p), len(g)] for g, p in self._sets(gold, predicted)]
        return np.asarray(rows, dtype=np.float64).reshape(-1, 3)

    def compute(self, *, gold: Sequence[Collection[str]], predicted: Sequence[Sequence[str]],
                model: Mapping[str, Any] | None = None) -> Score:
        stats = self.segment_stats(gold=gold, predicted=predicted)
        totals = stats.sum(axis=0) if len(stats) else np.zeros(3)
        details = {"true_positives": int(totals[0]), "predicted": int(totals[1]), "gold": int(totals[2])}
        return self.score(self.score_from_stats(totals), n=len(stats), model=model, details=details)

    @staticmethod
    def _prf(totals: np.ndarray) -> tuple[float, float, float]:
        tp, predicted, gold = (float(x) for x in totals)
        p = tp / predicted if predicted else 0.0
        r = tp / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class TagPrecision(_TagMetric):
    name = "Precision"

    def score_from_stats(self, totals: np.ndarray) -> float:
        return 100.0 * self._prf(totals)[0]


class TagRecall(_TagMetric):
    name = "Recall"

    def score_from_stats(self, totals: np.ndarray) -> float:
        return 100.0 * self._prf(totals)[1]


class TagF1(_TagMetric):
    name = "F1"

    def score_from_stats(self, totals: np.ndarray) -> float:
        return 100.0 * self._prf(totals)[2]


class TopKAccuracy(MeanMetric):
    """Share of items whose gold label (any of them) is among the top k predictions; k=1 is top-1."""

    task = "tag"

    def __init__(self, *, k: int = 1, prefix: int | None = None) -> None:
        self.k, self.prefix = _checked_k(k), prefix

    @property
    def name(self) -> str:
        return f"Top-{self.k}"

    def settings(self) -> dict[str, Any]:
        return {"k": self.k, "prefix": self.prefix}

    def segment_values(self, *, gold: Sequence[Collection[str]], predicted: Sequence[Sequence[str]]) -> list[float]:
        helper = _TagMetric(k=self.k, prefix=self.prefix)
        return [100.0 if g & p else 0.0 for g, p in helper._sets(gold, predicted)]

    def compute(self, *, gold: Sequence[Collection[str]], predicted: Sequence[Sequence[str]],
                model: Mapping[str, Any] | None = None) -> Score:
        values = self.segment_values(gold=gold, predicted=predicted)
        return self.score(float(np.mean(values)) if values else 0.0, n=len(values), model=model,
                          details={"correct": int(sum(v > 0 for v in values))})


class BalancedTopK(Metric):
    """Top-k accuracy averaged over gold classes (each item counted under its first gold label): on an
    unbalanced test set the majority-label floor scores 100 / classes here, not the majority's share."""

    task = "tag"

    def __init__(self, *, k: int = 1, prefix: int | None = None) -> None:
        self.k, self.prefix = _checked_k(k), prefix

    @property
    def name(self) -> str:
        return f"Balanced top-{self.k}"

    def settings(self) -> dict[str, Any]:
        return {"k": self.k, "prefix": self.prefix, "average": "macro-over-gold-classes"}

    def compute(self, *, gold: Sequence[Collection[str]], predicted: Sequence[Sequence[str]],
                model: Mapping[str, Any] | None = None) -> Score:
        helper = _TagMetric(k=self.k, prefix=self.prefix)
        per_class: dict[str, list[int]] = {}
        for raw, (g, p) in zip(gold, helper._sets(gold, predicted)):
            first = [raw] if isinstance(raw, str) else list(raw)
            key = helper._label(first[0]) if first else ""
            hits = per_class.setdefault(key, [0, 0])
            hits[0] += 1 if g & p else 0
            hits[1] += 1
        rates = {c: 100.0 * h / n for c, (h, n) in per_class.items() if n}
        value = sum(rates.values()) / len(rates) if rates else 0.0
        return self.score(value, n=len(gold), model=model, details={"per_class": rates})
