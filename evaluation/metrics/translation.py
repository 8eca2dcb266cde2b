"""Translation metrics: BLEU, chrF, chrF++ and TER through sacrebleu, and QA pass rates.

The sacrebleu metrics keep sacrebleu's own signature string (`nrefs:1|case:mixed|...|version:2.6.0`)
inside ours, and resample through sacrebleu's sufficient statistics, so a paired bootstrap here gives
the same numbers as `sacrebleu --paired-bs`.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from evaluation.metrics.base import Metric, Score, check_aligned


def reference_streams(references: Sequence[Sequence[str]], n: int) -> list[list[str]]:
    """sacrebleu's layout: a list of reference *streams*, each with one line per hypothesis."""
    streams = [list(stream) for stream in references]
    if not streams:
        from adapt.errors import InputError

        raise InputError("at least one reference is needed", hint="pass --ref FILE")
    for i, stream in enumerate(streams):
        check_aligned(hypotheses=range(n), **{f"reference {i + 1}": stream})
    return streams


class SacreMetric(Metric):
    task = "translate"
    libraries = ("sacrebleu",)
    resamplable: ClassVar[bool] = True

    @abstractmethod
    def _sacre(self):
        """A fresh sacrebleu metric object each time: they cache references."""

    def compute(self, *, hypotheses: Sequence[str], references: Sequence[Sequence[str]],
                model: Mapping[str, Any] | None = None) -> Score:
        n = len(hypotheses)
        streams = reference_streams(references, n)
        metric = self._sacre()
        result = metric.corpus_score(list(hypotheses), streams)
        details = {"sacrebleu": str(result), "sacrebleu_signature": metric.get_signature().format()}
        details.update(self._details(result))
        return self.score(result.score, n=n, model=model, details=details)

    def _details(self, result: Any) -> dict[str, Any]:
        return {}

    def segment_stats(self, *, hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> np.ndarray:
        streams = reference_streams(references, len(hypotheses))
        self._resampler = self._sacre()
        return np.asarray(self._resampler._extract_corpus_statistics(list(hypotheses), streams), dtype=np.float64)

    def score_from_stats(self, totals: np.ndarray) -> float:
        metric = getattr(self, "_resampler", None) or self._sacre()
        return float(metric._compute_score_from_stats(list(totals)).score)


class BLEU(SacreMetric):
    name = "BLEU"

    def __init__(self, *, tokenize: str = "13a", lowercase: bool = False, smooth_method: str = "exp",
                 effective_order: bool = False) -> None:
        self.tokenize, self.lowercase, self.smooth_method = tokenize, lowercase, smooth_method
        self.effective_order = effective_order

    def settings(self) -> dict[str, Any]:
        return {"tok": self.tokenize, "case": "lc" if self.lowercase else "mixed", "smooth": self.smooth_method,
                "eff": self.effective_order}

    def _sacre(self):
        from sacrebleu.metrics import BLEU as Sacre

        return Sacre(tokenize=self.tokenize, lowercase=self.lowercase, smooth_method=self.smooth_method,
                     effective_order=self.effective_order)

    def _details(self, result: Any) -> dict[str, Any]:
        return {"precisions": [round(p, 4) for p in result.precisions], "bp": result.bp,
                "sys_len": result.sys_len, "ref_len": result.ref_len}


class CHRF(SacreMetric):
    name = "chrF"

    def __init__(self, *, char_order: int = 6, word_order: int = 0, beta: int = 2, lowercase: bool = False,
                 whitespace: bool = False, eps_smoothing: bool = False) -> None:
        self.char_order, self.word_order, self.beta = char_order, word_order, beta
        self.lowercase, self.whitespace, self.eps_smoothing = lowercase, whitespace, eps_smoothing

    def settings(self) -> dict[str, Any]:
        return {"nc": self.char_order, "nw": self.word_order, "beta": self.beta,
                "case": "lc" if self.lowercase else "mixed", "space": self.whitespace, "eps": self.eps_smoothing}

    def _sacre(self):
        from sacrebleu.metrics import CHRF as Sacre

        return Sacre(char_order=self.char_order, word_order=self.word_order, beta=self.beta,
                     lowercase=self.lowercase, whitespace=self.whitespace, eps_smoothing=self.eps_smoothing)


class CHRFpp(CHRF):
    """chrF++: chrF with word unigrams and bigrams (Popović 2017)."""

    name = "chrF++"

    def __init__(self, *, char_order: int = 6, word_order: int = 2, beta: int = 2, lowercase: bool = False,
                 whitespace: bool = False, eps_smoothing: bool = False) -> None:
        super().__init__(char_order=char_order, word_order=word_order, beta=beta, lowercase=lowercase,
                         whitespace=whitespace, eps_smoothing=eps_smoothing)


class TER(SacreMetric):
    name = "TER"
    higher_is_better = False

    def __init__(self, *, normalized: bool = False, no_punct: bool = False, asian_support: bool = False,
                 case_sensitive: bool = False) -> None:
        self.normalized, self.no_punct = normalized, no_punct
        self.asian_support, self.case_sensitive = asian_support, case_sensitive

    def settings(self) -> dict[str, Any]:
        return {"norm": self.normalized, "punct": not self.no_punct, "asian": self.asian_support,
                "case": "mixed" if self.case_sensitive else "lc"}

    def _sacre(self):
        from sacrebleu.metrics import TER as Sacre

        return Sacre(normalized=self.normalized, no_punct=self.no_punct, asian_support=self.asian_support,
                     case_sensitive=self.case_sensitive)


class QAPassRate(Metric):
    """Share of outputs that pass the review QA checks (adapt.qa) the reviewer would otherwise see
    flagged: placeholders kept, numbers kept, links kept. 100 = every segment passed every check."""

    name = "QA pass"
    task = "translate"
    libraries = ("oer-adapt",)
    resamplable: ClassVar[bool] = True
    DEFAULT_CHECKS = ("placeholders", "numbers", "urls")

    def __init__(self, *, checks: Sequence[str] = DEFAULT_CHECKS, task: str = "translate") -> None:
        from adapt.qa import CHECKS

        unknown = [c for c in checks if c not in CHECKS]
        if unknown:
            from adapt.errors import UserError

            raise UserError(f"unknown QA check {', '.join(unknown)}", hint=f"choose from {', '.join(CHECKS)}")
        self.checks = tuple(checks)
        self.qa_task = task

    def settings(self) -> dict[str, Any]:
        return {"checks": list(self.checks), "task": self.qa_task}

    def _flags(self, sources: Sequence[str], hypotheses: Sequence[str], source_language: str | None,
               target_language: str | None) -> list[dict[str, list[str]]]:
        from adapt.qa import CHECKS, QAInput

        rows = []
        for src, hyp in zip(sources, hypotheses):
            qa = QAInput(source=src, output=hyp, task=self.qa_task, source_language=source_language,
                         target_language=target_language)
            rows.append({name: [f.code for f in CHECKS[name](qa)] for name in self.checks})
        return rows

    def compute(self, *, sources: Sequence[str], hypotheses: Sequence[str], source_language: str | None = None,
                target_language: str | None = None, model: Mapping[str, Any] | None = None) -> Score:
        n = check_aligned(sources=sources, hypotheses=hypotheses)
        rows = self._flags(sources, hypotheses, source_language, target_language)
        passed = sum(1 for row in rows if not any(row.values()))
        per_check = {name: 100.0 * sum(1 for row in rows if not row[name]) / n if n else 0.0 for name in self.checks}
        failing = [i for i, row in enumerate(rows) if any(row.values())]
        details = {"per_check": per_check, "failed_segments": failing[:50], "failed": len(failing)}
        return self.score(100.0 * passed / n if n else 0.0, n=n, model=model, details=details)

    def segment_stats(self, *, sources: Sequence[str], hypotheses: Sequence[str], source_language: str | None = None,
                      target_language: str | None = None) -> np.ndarray:
        rows = self._flags(sources, hypotheses, source_language, target_language)
        return np.asarray([[0.0 if any(r.values()) else 1.0, 1.0] for r in rows], dtype=np.float64).reshape(-1, 2)

    def score_from_stats(self, totals: np.ndarray) -> float:
        return float(100.0 * totals[0] / totals[1]) if totals[1] else 0.0
