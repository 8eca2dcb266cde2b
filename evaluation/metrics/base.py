"""The metric base class and the score object every metric returns.

A metric is built with its settings, then `compute(...)` takes keyword-only inputs (so hypotheses and
references cannot be swapped by mistake) and returns a `Score`: the number, its signature, and the
details behind it. Metrics that can be resampled (for confidence intervals and paired bootstrap tests)
also give per-segment sufficient statistics and a way back from their column sums to the score.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from evaluation.signature import Signature, library_versions


@dataclass(frozen=True)
class Score:
    metric: str
    value: float
    signature: Signature
    details: Mapping[str, Any] = field(default_factory=dict)
    higher_is_better: bool = True
    n: int = 0  # segments (or items) scored

    def to_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "value": self.value,
            "higher_is_better": self.higher_is_better,
            "n": self.n,
            "signature": self.signature.format(),
            "signature_digest": self.signature.digest,
            "signature_fields": self.signature.to_json(),
            "details": dict(self.details),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Score:
        return cls(
            metric=data["metric"],
            value=float(data["value"]),
            signature=Signature.from_json(data["signature_fields"]),
            details=dict(data.get("details") or {}),
            higher_is_better=bool(data.get("higher_is_better", True)),
            n=int(data.get("n", 0)),
        )

    def format(self, width: int = 2) -> str:
        return f"{self.metric} = {self.value:.{width}f}  ({self.signature.format()})"

    def __str__(self) -> str:
        return self.format()


class Metric(ABC):
    """Subclasses set the class attributes, keep their options as attributes and list them in
    `settings()`, and implement `compute`. Everything in `settings()` lands in the signature."""

    name: ClassVar[str]
    task: ClassVar[str]  # translate, simplify, tag, retrieve, review
    version: ClassVar[str] = "1"
    higher_is_better: ClassVar[bool] = True
    libraries: ClassVar[tuple[str, ...]] = ()

    def settings(self) -> dict[str, Any]:
        return {}

    def signature(self, *, model: Mapping[str, Any] | None = None, extra: Mapping[str, Any] | None = None) -> Signature:
        settings = dict(self.settings())
        if extra:
            settings.update(extra)
        return Signature(self.name, self.version, settings, library_versions(self.libraries), model)

    def score(self, value: float, *, n: int, model: Mapping[str, Any] | None = None,
              details: Mapping[str, Any] | None = None, extra: Mapping[str, Any] | None = None) -> Score:
        return Score(self.name, float(value), self.signature(model=model, extra=extra), dict(details or {}),
                     self.higher_is_better, n)

    @abstractmethod
    def compute(self, **inputs: Any) -> Score:
        """Score a whole test set. Inputs are keyword-only; each metric documents its own."""

    # resampling ------------------------------------------------------------------------------------
    resamplable: ClassVar[bool] = False

    def segment_stats(self, **inputs: Any) -> np.ndarray:
        """Per-segment sufficient statistics, shape (n, k); their column sums give the score back.
        Only metrics with `resamplable = True` provide them; callers check that flag first."""
        raise TypeError(f"{self.name} is not resamplable (Metric.resamplable is False)")

    def score_from_stats(self, totals: np.ndarray) -> float:
        """The score from column sums of `segment_stats` (resamplable metrics only)."""
        raise TypeError(f"{self.name} is not resamplable (Metric.resamplable is False)")


class MeanMetric(Metric):
    """A metric that is the mean of per-segment values (SARI, accuracy, similarity...): its
    statistics are (value, 1) per segment, so resampling it is exact."""

    resamplable: ClassVar[bool] = True

    @abstractmethod
    def segment_values(self, **inputs: Any) -> list[float]:
        """One value per segment."""

    def segment_stats(self, **inputs: Any) -> np.ndarray:
        values = np.asarray(self.segment_values(**inputs), dtype=np.float64)
        return np.stack([values, np.ones_like(values)], axis=1) if len(values) else np.zeros((0, 2))

    def score_from_stats(self, totals: np.ndarray) -> float:
        return float(totals[0] / totals[1]) if totals[1] else 0.0


def check_aligned(**columns: Sequence[Any]) -> int:
    """All inputs must have one row per segment; say which ones do not."""
    lengths = {name: len(rows) for name, rows in columns.items()}
    if len(set(lengths.values())) > 1:
        from adapt.errors import InputError

        listing = ", ".join(f"{name}: {n}" for name, n in lengths.items())
        raise InputError(f"the inputs are not aligned line by line ({listing})",
                         hint="every file needs one segment per line, the same number of lines")
    return next(iter(lengths.values()), 0)
