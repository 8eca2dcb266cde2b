"""Paired bootstrap resampling (Koehn 2004) between two systems on the same segments.

It follows sacrebleu's `--paired-bs` (itself a port of Moses' bootstrap-hypothesis-difference-
significance.pl): draw the same resampled segment sets for both systems, recompute each metric from
its sufficient statistics, centre the distribution of absolute differences, and count how often it
exceeds the observed difference. For the sacrebleu metrics the numbers equal sacrebleu's own (tested);
the same procedure works for any metric here that gives per-segment statistics (SARI, accuracy...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from evaluation.metrics.base import Metric

DEFAULT_SAMPLES = 1000
DEFAULT_SEED = 12345  # sacrebleu's default seed


@dataclass(frozen=True)
class Comparison:
    metric: str
    system: str
    baseline: str
    system_score: float
    baseline_score: float
    p_value: float
    system_ci: tuple[float, float]  # (bootstrap mean, half-width of the 95% interval)
    baseline_ci: tuple[float, float]
    n_samples: int
    seed: int
    signature: str

    @property
    def delta(self) -> float:
        return self.system_score - self.baseline_score

    def significant(self, alpha: float = 0.05) -> bool:
        return self.p_value < alpha

    def to_json(self) -> dict[str, Any]:
        return {"metric": self.metric, "system": self.system, "baseline": self.baseline,
                "system_score": self.system_score, "baseline_score": self.baseline_score, "delta": self.delta,
                "p_value": self.p_value, "system_ci": list(self.system_ci), "baseline_ci": list(self.baseline_ci),
                "n_samples": self.n_samples, "seed": self.seed, "signature": self.signature}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Comparison:
        return cls(data["metric"], data["system"], data["baseline"], data["system_score"], data["baseline_score"],
                   data["p_value"], tuple(data["system_ci"]), tuple(data["baseline_ci"]), data["n_samples"],
                   data["seed"], data["signature"])


def estimate_ci(scores: np.ndarray) -> tuple[float, float]:
    """Bootstrap mean and half-width of the 95% interval (sacrebleu's estimate_ci)."""
    scores = np.sort(scores)
    lower_idx = len(scores) // 40
    upper_idx = len(scores) - lower_idx - 1
    return float(scores.mean()), float(0.5 * (scores[upper_idx] - scores[lower_idx]))


def resample_counts(n: int, *, n_samples: int, seed: int) -> np.ndarray:
    """How often each segment is drawn in each resample: (n_samples, n). Same draws as sacrebleu."""
    rng = np.random.default_rng(seed)
    idxs = rng.choice(n, size=(n_samples, n), replace=True)
    counts = np.zeros((n_samples, n), dtype=np.float64)
    for row, idx in enumerate(idxs):
        counts[row] = np.bincount(idx, minlength=n)
    return counts


def _scores(metric: Metric, stats: np.ndarray, counts: np.ndarray) -> np.ndarray:
    totals = counts @ stats  # column sums of every resample at once
    return np.array([metric.score_from_stats(row) for row in totals])


def paired_bootstrap(
    metric: Metric,
    *,
    system: tuple[str, Mapping[str, Any]],
    baseline: tuple[str, Mapping[str, Any]],
    n_samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> Comparison:
    """Compare two systems on one metric. `system` and `baseline` are (name, the metric's inputs)."""
    if not metric.resamplable:
        raise ValueError(f"{metric.name} gives no per-segment statistics to resample")
    (sys_name, sys_inputs), (bl_name, bl_inputs) = system, baseline
    sys_stats = metric.segment_stats(**sys_inputs)
    bl_stats = metric.segment_stats(**bl_inputs)
    if len(sys_stats) != len(bl_stats) or not len(sys_stats):
        raise ValueError("paired bootstrap needs both systems scored on the same, non-empty set of segments")
    sys_real = metric.score_from_stats(sys_stats.sum(axis=0))
    bl_real = metric.score_from_stats(bl_stats.sum(axis=0))
    counts = resample_counts(len(sys_stats), n_samples=n_samples, seed=seed)
    sys_scores, bl_scores = _scores(metric, sys_stats, counts), _scores(metric, bl_stats, counts)
    sample_diffs = np.abs(sys_scores - bl_scores)
    centred = sample_diffs - sample_diffs.mean()
    p = (int(np.sum(centred > abs(sys_real - bl_real))) + 1) / (n_samples + 1)
    if sys_real == bl_real:
        # No observed difference is no evidence of one. (sacrebleu would report 1/(n+1) for two identical
        # outputs, since every centred resample difference is then 0; we do not call that significant.)
        p = 1.0
    signature = metric.signature(extra={"test": "paired-bs", "n": n_samples, "seed": seed}).format()
    return Comparison(metric.name, sys_name, bl_name, sys_real, bl_real, p, estimate_ci(sys_scores),
                      estimate_ci(bl_scores), n_samples, seed, signature)
