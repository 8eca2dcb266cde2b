"""Metrics by task. Each is a small class: settings in the constructor, keyword-only `compute(...)`
returning a `Score` with a signature. Heavy libraries load inside `compute`, never at import."""

from __future__ import annotations

from evaluation.metrics.base import MeanMetric, Metric, Score
from evaluation.metrics.effort import (
    AcceptanceRate,
    EditRate,
    SuggestionChrF,
    TimeToDecision,
    UneditedShare,
)
from evaluation.metrics.retrieval import MRR, NDCGAtK, RecallAtK
from evaluation.metrics.simplification import SARI, CompressionRatio, MeaningSimilarity, ReadingGrade, sari
from evaluation.metrics.tagging import TagF1, TagPrecision, TagRecall, TopKAccuracy
from evaluation.metrics.translation import BLEU, CHRF, TER, CHRFpp, QAPassRate

__all__ = [
    "BLEU", "CHRF", "CHRFpp", "MRR", "SARI", "TER", "AcceptanceRate", "CompressionRatio", "EditRate", "MeanMetric",
    "MeaningSimilarity", "Metric", "NDCGAtK", "QAPassRate", "ReadingGrade", "RecallAtK", "Score", "SuggestionChrF",
    "TagF1", "TagPrecision", "TagRecall", "TimeToDecision", "TopKAccuracy", "UneditedShare", "sari",
]
