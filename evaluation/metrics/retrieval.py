"""Related-resource metrics over ranked result lists: recall@k, MRR and nDCG@k.

`rankings` holds, per query, the ids returned best first; `relevant` the relevant ids per query,
either a collection (binary relevance) or a mapping id -> graded relevance (for nDCG).
nDCG discounts by log2(rank + 1) (Järvelin and Kekäläinen 2002); the gain is exponential, 2^rel - 1
(Burges et al. 2005, the usual choice), or linear, rel (scikit-learn's ndcg_score); with binary
relevance both are the same.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from evaluation.metrics.base import MeanMetric, Score, check_aligned

Relevant = Collection[str] | Mapping[str, float]


def _grades(relevant: Relevant) -> dict[str, float]:
    if isinstance(relevant, Mapping):
        return {str(k): float(v) for k, v in relevant.items() if float(v) > 0}
    if isinstance(relevant, str):
        return {relevant: 1.0}
    return {str(k): 1.0 for k in relevant}


class _RankMetric(MeanMetric):
    task = "retrieve"

    def __init__(self, *, k: int = 10) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        self.k = k

    def settings(self) -> dict[str, Any]:
        return {"k": self.k}

    @abstractmethod
    def one(self, ranking: Sequence[str], grades: dict[str, float]) -> float:
        """The metric for one query's ranking against its graded relevant items."""

    def segment_values(self, *, rankings: Sequence[Sequence[str]], relevant: Sequence[Relevant]) -> list[float]:
        check_aligned(rankings=rankings, relevant=relevant)
        return [100.0 * self.one([str(x) for x in ranking], _grades(rel)) for ranking, rel in zip(rankings, relevant)]

    def compute(self, *, rankings: Sequence[Sequence[str]], relevant: Sequence[Relevant],
                model: Mapping[str, Any] | None = None) -> Score:
        values = self.segment_values(rankings=rankings, relevant=relevant)
        return self.score(sum(values) / len(values) if values else 0.0, n=len(values), model=model)


class RecallAtK(_RankMetric):
    """Share of each query's relevant items found in its top k, averaged over queries."""

    @property
    def name(self) -> str:
        return f"Recall@{self.k}"

    def one(self, ranking: Sequence[str], grades: dict[str, float]) -> float:
        if not grades:
            return 0.0
        return len(set(ranking[: self.k]) & set(grades)) / len(grades)


class MRR(_RankMetric):
    """Mean reciprocal rank of the first relevant item (0 when none is in the top k)."""

    name = "MRR"

    def __init__(self, *, k: int = 1000) -> None:
        super().__init__(k=k)

    def one(self, ranking: Sequence[str], grades: dict[str, float]) -> float:
        for rank, item in enumerate(ranking[: self.k], start=1):
            if item in grades:
                return 1.0 / rank
        return 0.0


class NDCGAtK(_RankMetric):
    def __init__(self, *, k: int = 10, gain: str = "exponential") -> None:
        super().__init__(k=k)
        if gain not in ("exponential", "linear"):
            raise ValueError("gain is exponential (2^rel - 1) or linear (rel)")
        self.gain = gain

    def _gain(self, rel: float) -> float:
        return 2**rel - 1 if self.gain == "exponential" else rel

    @property
    def name(self) -> str:
        return f"nDCG@{self.k}"

    def settings(self) -> dict[str, Any]:
        return {"k": self.k, "gain": self.gain, "discount": "log2(rank+1)"}

    def one(self, ranking: Sequence[str], grades: dict[str, float]) -> float:
        seen: set[str] = set()
        dcg = 0.0
        for rank, item in enumerate(ranking[: self.k], start=1):
            if item in seen:  # a duplicate in a result list earns nothing twice
                continue
            seen.add(item)
            dcg += self._gain(grades.get(item, 0.0)) / math.log2(rank + 1)
        ideal = sorted(grades.values(), reverse=True)[: self.k]
        idcg = sum(self._gain(g) / math.log2(rank + 1) for rank, g in enumerate(ideal, start=1))
        return dcg / idcg if idcg else 0.0
