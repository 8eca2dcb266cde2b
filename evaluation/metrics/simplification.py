"""Simplification metrics: SARI, readability before/after, compression ratio, meaning similarity.

SARI (Xu, Napoles, Pavlick, Chen and Callison-Burch 2016, "Optimizing Statistical Machine Translation
for Text Simplification", TACL 4) rewards n-grams that the system correctly adds, keeps and deletes
with respect to the source and the references. This is a re-implementation of the authors' reference
code (cocoxu/simplification, SARI.py): for each n = 1..4, F1 of kept n-grams, *precision* of deleted
n-grams and F1 of added n-grams, with counts weighted by the number of references; the sentence score
is the mean of the three averaged operation scores, and the corpus score the mean of sentence scores
(as in the original, in EASSE's legacy mode and in Hugging Face evaluate). Tests check it against the
values the reference code prints for its own worked example.

Tokenisation is a setting (in the signature): "13a" (sacrebleu's, the default, as easse and evaluate do)
or "none" (whitespace, for pre-tokenised text such as TurkCorpus).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from evaluation.metrics.base import MeanMetric, Score, check_aligned

NGRAM_ORDER = 4


def _ngrams(tokens: list[str], n: int) -> list[str]:
    return [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision > 0 or recall > 0 else 0.0


def _sari_ngram(sgrams: list[str], cgrams: list[str], rgramslist: list[list[str]], numref: int) -> tuple[float, float, float]:
    """(keep F1, delete precision, add F1) for one n-gram order: source s, candidate c, references r."""
    rgramcounter = Counter(g for rgrams in rgramslist for g in rgrams)
    sgramcounter_rep = Counter({g: c * numref for g, c in Counter(sgrams).items()})
    cgramcounter = Counter(cgrams)
    cgramcounter_rep = Counter({g: c * numref for g, c in cgramcounter.items()})

    # KEEP: source n-grams the candidate kept, credited as far as the references kept them too.
    keep_rep = sgramcounter_rep & cgramcounter_rep
    keep_good = keep_rep & rgramcounter
    keep_all = sgramcounter_rep & rgramcounter
    keep_p = sum(keep_good[g] / keep_rep[g] for g in keep_good) / len(keep_rep) if keep_rep else 0.0
    keep_r = sum(keep_good[g] / keep_all[g] for g in keep_good) / len(keep_all) if keep_all else 0.0
    keep = _f1(keep_p, keep_r)

    # DELETION: only precision counts (over-deleting is punished by KEEP), as in the reference code.
    del_rep = sgramcounter_rep - cgramcounter_rep
    del_good = del_rep - rgramcounter
    del_p = sum(del_good[g] / del_rep[g] for g in del_good) / len(del_rep) if del_rep else 0.0

    # ADDITION: n-grams new to the source, binary.
    sgramset = set(sgrams)
    added = set(cgramcounter) - sgramset
    added_good = added & set(rgramcounter)
    added_all = set(rgramcounter) - sgramset
    add_p = len(added_good) / len(added) if added else 0.0
    add_r = len(added_good) / len(added_all) if added_all else 0.0
    return keep, del_p, _f1(add_p, add_r)


def sari_sentence_parts(source: str, prediction: str, references: Sequence[str], *,
                        lowercase: bool = True) -> tuple[float, float, float]:
    """The (keep, delete, add) scores of one sentence, each in 0..1, on already tokenised text."""
    case = str.lower if lowercase else str
    s1 = case(source).split()
    c1 = case(prediction).split()
    r1s = [case(r).split() for r in references]
    keeps, dels, adds = [], [], []
    for n in range(1, NGRAM_ORDER + 1):
        keep, delete, add = _sari_ngram(_ngrams(s1, n), _ngrams(c1, n), [_ngrams(r, n) for r in r1s], len(r1s))
        keeps.append(keep)
        dels.append(delete)
        adds.append(add)
    return sum(keeps) / NGRAM_ORDER, sum(dels) / NGRAM_ORDER, sum(adds) / NGRAM_ORDER


def sari_sentence(source: str, prediction: str, references: Sequence[str]) -> float:
    """Sentence SARI in 0..1 on already tokenised text (the reference code's SARIsent)."""
    return sum(sari_sentence_parts(source, prediction, references)) / 3


def _tokenizer(name: str):
    if name == "none":
        return lambda text: text
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    if name != "13a":
        from adapt.errors import UserError

        raise UserError(f"unknown SARI tokenizer {name!r}", hint="use 13a or none")
    return Tokenizer13a()


class SARI(MeanMetric):
    """Corpus SARI, 0..100: the mean sentence SARI. `references` is one list of references per source
    (any number each, at least one)."""

    name = "SARI"
    task = "simplify"
    version = "xu2016-1"
    libraries = ("sacrebleu",)

    def __init__(self, *, tokenize: str = "13a", lowercase: bool = True) -> None:
        self.tokenize = tokenize
        self.lowercase = lowercase
        _tokenizer(tokenize)  # fail early on a bad name

    def settings(self) -> dict[str, Any]:
        return {"tok": self.tokenize, "case": "lc" if self.lowercase else "mixed", "ngram": NGRAM_ORDER,
                "corpus": "mean-of-sentences"}

    def _norm(self, text: str) -> str:
        return _tokenizer(self.tokenize)(text.strip())

    def segment_parts(self, *, sources: Sequence[str], predictions: Sequence[str],
                      references: Sequence[Sequence[str]]) -> list[tuple[float, float, float]]:
        check_aligned(sources=sources, predictions=predictions, references=references)
        parts = []
        for src, pred, refs in zip(sources, predictions, references):
            refs = [r for r in refs if r is not None]
            if not refs:
                from adapt.errors import InputError

                raise InputError("SARI needs at least one reference for every source", hint="check --refs")
            parts.append(sari_sentence_parts(self._norm(src), self._norm(pred), [self._norm(r) for r in refs],
                                             lowercase=self.lowercase))
        return parts

    def segment_values(self, *, sources: Sequence[str], predictions: Sequence[str],
                       references: Sequence[Sequence[str]]) -> list[float]:
        return [100.0 * sum(p) / 3 for p in self.segment_parts(sources=sources, predictions=predictions,
                                                               references=references)]

    def compute(self, *, sources: Sequence[str], predictions: Sequence[str], references: Sequence[Sequence[str]],
                model: Mapping[str, Any] | None = None) -> Score:
        parts = self.segment_parts(sources=sources, predictions=predictions, references=references)
        n = len(parts)
        mean = np.mean(parts, axis=0) * 100 if n else np.zeros(3)
        details = {"keep": round(float(mean[0]), 4), "delete": round(float(mean[1]), 4),
                   "add": round(float(mean[2]), 4)}
        return self.score(float(mean.sum() / 3) if n else 0.0, n=n, model=model, details=details)


def sari(*, sources: Sequence[str], predictions: Sequence[str], references: Sequence[Sequence[str]]) -> float:
    """Corpus SARI (0..100) with the default settings (13a tokens, lowercased): one list of references
    per source. For the signature and the keep/delete/add split, use `SARI().compute(...)`."""
    return SARI().compute(sources=sources, predictions=predictions, references=references).value


class CompressionRatio(MeanMetric):
    """Mean of len(output) / len(source) in characters (EASSE's compression ratio). 1.0 = same length."""

    name = "Compression"
    task = "simplify"
    higher_is_better = False  # informative: shorter is not better by itself; reported, not ranked

    def segment_values(self, *, sources: Sequence[str], predictions: Sequence[str]) -> list[float]:
        check_aligned(sources=sources, predictions=predictions)
        return [len(p.strip()) / max(1, len(s.strip())) for s, p in zip(sources, predictions)]

    def compute(self, *, sources: Sequence[str], predictions: Sequence[str],
                model: Mapping[str, Any] | None = None) -> Score:
        values = self.segment_values(sources=sources, predictions=predictions)
        unchanged = sum(1 for s, p in zip(sources, predictions) if s.strip() == p.strip())
        details = {"unchanged_share": unchanged / len(values) if values else 0.0}
        return self.score(float(np.mean(values)) if values else 0.0, n=len(values), model=model, details=details)


class ReadingGrade(MeanMetric):
    """Mean Flesch-Kincaid grade level of the outputs (lower = easier), with the sources' grade and the
    per-segment grades before and after in the details (the report draws their histogram)."""

    name = "FKGL"
    task = "simplify"
    higher_is_better = False
    libraries = ("textstat", "pyphen")  # English syllables: adapt/data/cmudict_syllables.tsv.gz (in "impl")

    def __init__(self, *, language: str = "en") -> None:
        self.language = language

    def settings(self) -> dict[str, Any]:
        from evaluation.readability import implementation

        return {"formula": "flesch-kincaid-grade", "lang": self.language, "impl": implementation()}

    def segment_values(self, *, predictions: Sequence[str], sources: Sequence[str] | None = None) -> list[float]:
        from evaluation.readability import grade_levels

        return grade_levels(predictions, self.language)

    def compute(self, *, sources: Sequence[str], predictions: Sequence[str],
                model: Mapping[str, Any] | None = None) -> Score:
        from evaluation.readability import grade_levels

        n = check_aligned(sources=sources, predictions=predictions)
        before = grade_levels(sources, self.language)
        after = grade_levels(predictions, self.language)
        details = {
            "before": round(float(np.mean(before)), 3) if n else 0.0,
            "after": round(float(np.mean(after)), 3) if n else 0.0,
            "delta": round(float(np.mean(after) - np.mean(before)), 3) if n else 0.0,
            "grades_before": [round(g, 2) for g in before],
            "grades_after": [round(g, 2) for g in after],
        }
        return self.score(float(np.mean(after)) if n else 0.0, n=n, model=model, details=details)


class MeaningSimilarity(MeanMetric):
    """Mean cosine similarity between each output and its source under a sentence embedder
    (models.embedders): a proxy for "the meaning was kept". Rank systems with it; its absolute level
    depends on the embedder (e5's cosines are compressed into 0.75-0.92)."""

    name = "Meaning"
    task = "simplify"

    def __init__(self, *, embedder: str = "minilm", embedder_object: Any = None) -> None:
        self.embedder_name = embedder
        self._embedder = embedder_object
        self._vectors: dict[str, np.ndarray] = {}  # sources recur across systems: embed each text once

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, vector in zip(missing, self.embedder.embed_passages(missing)):
                self._vectors[text] = vector
        return np.stack([self._vectors[t] for t in texts])

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from models.embedders import get_embedder

            self._embedder = get_embedder(self.embedder_name)
        return self._embedder

    def settings(self) -> dict[str, Any]:
        return {"embedder": self.embedder.signature().to_json(), "similarity": "cosine"}

    def segment_values(self, *, sources: Sequence[str], predictions: Sequence[str]) -> list[float]:
        check_aligned(sources=sources, predictions=predictions)
        if not sources:
            return []
        a, b = self._embed(list(sources)), self._embed(list(predictions))
        return [float(x) for x in np.sum(a * b, axis=1)]

    def compute(self, *, sources: Sequence[str], predictions: Sequence[str],
                model: Mapping[str, Any] | None = None) -> Score:
        values = self.segment_values(sources=sources, predictions=predictions)
        details = {"min": round(min(values), 4) if values else 0.0,
                   "similarities": [round(v, 4) for v in values]}
        return self.score(float(np.mean(values)) if values else 0.0, n=len(values), model=model, details=details)
