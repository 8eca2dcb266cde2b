"""Evaluation runs: a test set, the systems on it (always with a floor), their scores and the
significance of their differences. One function per task builds a `RunResult`; `evaluation.runs`
stores it and `evaluation.report` renders it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from evaluation.metrics import (
    BLEU,
    CHRF,
    MRR,
    SARI,
    TER,
    CHRFpp,
    CompressionRatio,
    MeaningSimilarity,
    Metric,
    NDCGAtK,
    QAPassRate,
    ReadingGrade,
    RecallAtK,
    Score,
    TagF1,
    TagPrecision,
    TagRecall,
    TopKAccuracy,
)
from evaluation.metrics.tagging import BalancedTopK
from evaluation.significance import Comparison, paired_bootstrap
from evaluation.systems import System, SystemOutput, run_system

ProgressFactory = Callable[[str], Any]  # label -> a context manager yielding Progress


@dataclass
class SystemResult:
    output: SystemOutput
    scores: list[Score]

    @property
    def name(self) -> str:
        return self.output.name

    def score(self, metric: str) -> Score | None:
        return next((s for s in self.scores if s.metric == metric), None)

    def to_json(self, *, outputs: bool = False) -> dict[str, Any]:
        data = {**self.output.to_json(), "scores": [s.to_json() for s in self.scores]}
        if outputs:
            data["outputs"] = self.output.outputs
        return data


@dataclass
class RunResult:
    suite: str  # a named suite, or file:<task>
    task: str
    settings: dict[str, Any]  # languages, files and their sha256, limit...
    sources: list[Any]
    references: list[Any]  # per segment: a list of references (or gold labels, relevant ids)
    systems: list[SystemResult]
    comparisons: list[Comparison] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    id: int | None = None

    def system(self, name: str) -> SystemResult:
        return next(s for s in self.systems if s.name == name)

    @property
    def metrics(self) -> list[str]:
        names: list[str] = []
        for system in self.systems:
            for score in system.scores:
                if score.metric not in names:
                    names.append(score.metric)
        return names

    def to_json(self, *, outputs: bool = False) -> dict[str, Any]:
        return {"run": self.id, "suite": self.suite, "task": self.task, "created_at": self.created_at,
                "settings": self.settings, "segments": len(self.sources),
                "systems": [s.to_json(outputs=outputs) for s in self.systems],
                "comparisons": [c.to_json() for c in self.comparisons], "notes": self.notes}


def _no_progress(label: str):
    from contextlib import nullcontext

    return nullcontext(None)


def _run_all(systems: Sequence[System], inputs: Sequence[Any], progress: ProgressFactory | None) -> list[SystemOutput]:
    names = [s.name for s in systems]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        from adapt.errors import UserError

        raise UserError(f"two systems in one run are both named {repeated[0]!r}",
                        hint="name output files with --hyp NAME=FILE, and list each engine once")
    outputs = []
    for system in systems:
        with (progress or _no_progress)(f"{system.name}") as bar:
            outputs.append(run_system(system, inputs, progress=bar))
    return outputs


def _compare(results: list[SystemResult], metrics: Sequence[Metric], inputs_for: Callable[[SystemOutput], dict],
             n_samples: int) -> list[Comparison]:
    """Every system against the first baseline and, when there are several, against the first system."""
    if n_samples <= 0 or len(results) < 2:
        return []
    baselines = [r for r in results if r.output.role == "baseline"]
    systems = [r for r in results if r.output.role != "baseline"]
    pairs = []
    if baselines:
        pairs += [(s, baselines[0]) for s in systems]
    if len(systems) > 1:
        pairs += [(s, systems[0]) for s in systems[1:]]
    elif not baselines and len(results) > 1:
        pairs += [(r, results[0]) for r in results[1:]]
    out = []
    for metric in metrics:
        if not metric.resamplable:
            continue
        for a, b in pairs:
            out.append(paired_bootstrap(metric, system=(a.name, inputs_for(a.output)),
                                        baseline=(b.name, inputs_for(b.output)), n_samples=n_samples))
    return out


# -- translation --------------------------------------------------------------------------------------------


def translation_metrics() -> list[Metric]:
    return [BLEU(), CHRF(), CHRFpp(), TER(), QAPassRate()]


def evaluate_translation(
    *, suite: str, sources: list[str], references: list[list[str]], systems: Sequence[System], source: str,
    target: str, settings: dict[str, Any], metrics: Sequence[Metric] | None = None, bootstrap: int = 1000,
    progress: ProgressFactory | None = None,
) -> RunResult:
    """`references` are streams (sacrebleu's layout): one list per reference, one line per source."""
    metrics = list(metrics or translation_metrics())
    results = []
    for output in _run_all(systems, sources, progress):
        scores = []
        for metric in metrics:
            if isinstance(metric, QAPassRate):
                scores.append(metric.compute(sources=sources, hypotheses=output.outputs, source_language=source,
                                             target_language=target, model=output.signature))
            else:
                scores.append(metric.compute(hypotheses=output.outputs, references=references, model=output.signature))
        results.append(SystemResult(output, scores))
    headline = [m for m in metrics if m.name in ("BLEU", "chrF")]
    comparisons = _compare(results, headline, lambda o: {"hypotheses": o.outputs, "references": references},
                           bootstrap)
    per_segment = [list(refs) for refs in zip(*references)]
    return RunResult(suite, "translate", {"source": source, "target": target, **settings}, list(sources),
                     per_segment, results, comparisons)


# -- simplification -----------------------------------------------------------------------------------------


def simplification_metrics(*, language: str = "en", embedder: str | None = "minilm") -> list[Metric]:
    # `SARI` is EASSE's corpus SARI (what papers report); `SARI-mean`, the mean of sentence scores, is kept
    # beside it under its own name for comparison with this project's earlier figures.
    metrics: list[Metric] = [SARI(), SARI(mode="sentence-mean"), BLEU(), ReadingGrade(language=language),
                             CompressionRatio()]
    if embedder:
        metrics.append(MeaningSimilarity(embedder=embedder))
    return metrics


def evaluate_simplification(
    *, suite: str, sources: list[str], references: list[list[str]], systems: Sequence[System], language: str,
    settings: dict[str, Any], metrics: Sequence[Metric] | None = None, bootstrap: int = 1000,
    progress: ProgressFactory | None = None,
) -> RunResult:
    """`references` holds one list of references per source (any number, at least one)."""
    metrics = list(metrics or simplification_metrics(language=language))
    streams = [list(s) for s in zip(*references)] if len({len(r) for r in references}) == 1 else None
    results = []
    for output in _run_all(systems, sources, progress):
        scores = []
        for metric in metrics:
            if isinstance(metric, SARI):
                scores.append(metric.compute(sources=sources, predictions=output.outputs, references=references,
                                             model=output.signature))
            elif isinstance(metric, BLEU):
                if streams is not None:
                    scores.append(metric.compute(hypotheses=output.outputs, references=streams, model=output.signature))
            else:
                scores.append(metric.compute(sources=sources, predictions=output.outputs, model=output.signature))
        results.append(SystemResult(output, scores))
    headline = [m for m in metrics if isinstance(m, SARI) and m.mode == "corpus"] or [
        m for m in metrics if isinstance(m, SARI)]
    comparisons = _compare(results, headline,
                           lambda o: {"sources": sources, "predictions": o.outputs, "references": references},
                           bootstrap)
    return RunResult(suite, "simplify", {"language": language, **settings}, list(sources),
                     [list(r) for r in references], results, comparisons)


# -- tagging --------------------------------------------------------------------------------------------------


class MajorityLabel:
    """The floor for tagging: always the most frequent gold labels, ranked by frequency (a prior)."""

    role = "baseline"
    name = "majority"

    def __init__(self, gold: Sequence[Sequence[str]]) -> None:
        from collections import Counter

        counts = Counter(label for labels in gold for label in labels)
        self.ranked = [label for label, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def signature(self) -> dict[str, Any]:
        return {"engine": "baseline", "model": "majority", "version": "1", "settings": {"labels": self.ranked[:5]}}

    def run(self, inputs: Sequence[Any], *, progress=None) -> list[list[str]]:
        return [list(self.ranked) for _ in inputs]


def tagging_metrics(prefix: int | None = None) -> list[Metric]:
    return [TagPrecision(k=1, prefix=prefix), TagRecall(k=1, prefix=prefix), TagF1(k=1, prefix=prefix),
            TopKAccuracy(k=1, prefix=prefix), TopKAccuracy(k=3, prefix=prefix), BalancedTopK(k=1, prefix=prefix)]


def evaluate_tagging(
    *, suite: str, items: list[str], gold: list[list[str]], systems: Sequence[System], settings: dict[str, Any],
    prefix: int | None = None, bootstrap: int = 1000, progress: ProgressFactory | None = None,
) -> RunResult:
    metrics = tagging_metrics(prefix)
    results = []
    for output in _run_all([MajorityLabel(gold), *systems], items, progress):
        scores = [m.compute(gold=gold, predicted=output.outputs, model=output.signature) for m in metrics]
        results.append(SystemResult(output, scores))
    headline = [m for m in metrics if m.name == "Top-1"]
    comparisons = _compare(results, headline, lambda o: {"gold": gold, "predicted": o.outputs}, bootstrap)
    return RunResult(suite, "tag", {"prefix": prefix, **settings}, list(items), gold, results, comparisons)


# -- related resources (retrieval) ------------------------------------------------------------------------------


class EmbeddingRetriever:
    """Exact cosine search of queries against documents with an embedder (models.embedders)."""

    role = "system"

    def __init__(self, embedder: str, documents: Sequence[str], *, depth: int = 100) -> None:
        from models.embedders import get_embedder

        self.embedder = get_embedder(embedder)
        self.name = embedder
        self.documents, self.depth = list(documents), depth
        self._doc_vectors: np.ndarray | None = None

    def signature(self) -> dict[str, Any]:
        sig = self.embedder.signature().to_json()
        sig["settings"] = {**sig.get("settings", {}), "search": "exact-cosine", "depth": self.depth}
        return sig

    def run(self, inputs: Sequence[str], *, progress=None) -> list[list[str]]:
        if self._doc_vectors is None:
            self._doc_vectors = self.embedder.embed_passages(self.documents)
        rankings = []
        for start in range(0, len(inputs), 64):
            q = self.embedder.embed_queries(list(inputs[start : start + 64]))
            sims = q @ self._doc_vectors.T
            top = np.argsort(-sims, axis=1, kind="stable")[:, : self.depth]
            rankings.extend([[str(i) for i in row] for row in top])
            if progress:
                progress(len(rankings), len(inputs))
        return rankings


class RandomRanking:
    """The floor for retrieval: documents in a random order (fixed seed)."""

    role = "baseline"
    name = "random"

    def __init__(self, n_documents: int, *, depth: int = 100, seed: int = 12345) -> None:
        self.n, self.depth, self.seed = n_documents, depth, seed

    def signature(self) -> dict[str, Any]:
        return {"engine": "baseline", "model": "random", "version": "1",
                "settings": {"seed": self.seed, "depth": self.depth}}

    def run(self, inputs: Sequence[Any], *, progress=None) -> list[list[str]]:
        rng = np.random.default_rng(self.seed)
        return [[str(i) for i in rng.permutation(self.n)[: self.depth]] for _ in inputs]


def retrieval_metrics() -> list[Metric]:
    return [RecallAtK(k=1), RecallAtK(k=10), MRR(), NDCGAtK(k=10)]


def evaluate_retrieval(
    *, suite: str, queries: list[str], documents: list[str], relevant: list[list[str]], embedders: Sequence[str],
    settings: dict[str, Any], bootstrap: int = 1000, progress: ProgressFactory | None = None, depth: int = 100,
) -> RunResult:
    metrics = retrieval_metrics()
    systems: list[Any] = [RandomRanking(len(documents), depth=depth)]
    systems += [EmbeddingRetriever(name, documents, depth=depth) for name in embedders]
    results = []
    for output in _run_all(systems, queries, progress):
        scores = [m.compute(rankings=output.outputs, relevant=relevant, model=output.signature) for m in metrics]
        results.append(SystemResult(output, scores))
    headline = [m for m in metrics if m.name == "MRR"]
    comparisons = _compare(results, headline, lambda o: {"rankings": o.outputs, "relevant": relevant}, bootstrap)
    return RunResult(suite, "retrieve", {"documents": len(documents), **settings}, list(queries), relevant, results,
                     comparisons)
