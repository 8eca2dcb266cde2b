"""Simplification metrics: SARI, readability before/after, compression ratio, meaning similarity.

SARI (Xu, Napoles, Pavlick, Chen and Callison-Burch 2016, "Optimizing Statistical Machine Translation
for Text Simplification", TACL 4) rewards n-grams that the system correctly adds, keeps and deletes
with respect to the source and the references. Two modes, each under its own name:

  SARI       (mode "corpus", the default) EASSE's default corpus SARI (feralvam/easse, `corpus_sari`):
             lowercase, 13a tokens, add/keep/delete n-gram statistics summed over the whole corpus, then
             an F1 per operation and n-gram order (F1 for deletion too), averaged. Papers report this;
             tests check it against values EASSE itself prints (ACCESS on TurkCorpus test: 41.38).
  SARI-mean  (mode "sentence-mean") the mean of the reference code's sentence scores (cocoxu/simplification
             SARI.py: F1 keep, deletion precision, F1 add), what this project reported before.

Tokenisation is a setting (in the signature): "13a" (sacrebleu's, the default, as easse and evaluate do)
or "none" (whitespace, for pre-tokenised text such as TurkCorpus).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from evaluation.metrics.base import MeanMetric, Metric, Score, check_aligned

NGRAM_ORDER = 4


def _ngrams(tokens: list[str], n: int) -> list[str]:
    return [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision > 0 or recall > 0 else 0.0


def _sari_ngram(
    sgrams: list[str], cgrams: list[str], rgramslist: list[list[str]], numref: int
) -> tuple[float, float, float]:
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


SARI_MODES = ("corpus", "sentence-mean")


def sari_ngram_counts(source: str, prediction: str, references: Sequence[str]) -> np.ndarray:
    """EASSE's per-sentence n-gram statistics on tokenised text: shape (4 orders, 9) with columns
    add (system correct, system total, reference total), keep (same), delete (same). Summed over a
    corpus, `corpus_sari_from_counts` turns them into corpus SARI (EASSE's default, non-legacy)."""
    stats = np.zeros((NGRAM_ORDER, 9), dtype=np.float64)
    s_tok, c_tok, r_toks = source.split(), prediction.split(), [r.split() for r in references]
    numref = len(references)
    for n in range(1, NGRAM_ORDER + 1):
        s_grams = Counter(_ngrams(s_tok, n))
        c_grams = Counter(_ngrams(c_tok, n))
        r_grams: Counter[str] = Counter()
        for r in r_toks:
            r_grams.update(_ngrams(r, n))
        # ADD is binary (sets); KEEP and DELETE weight source and system counts by the number of references.
        added = set(c_grams) - set(s_grams)
        ref_added = set(r_grams) - set(s_grams)
        s_rep = Counter({g: c * numref for g, c in s_grams.items()})
        c_rep = Counter({g: c * numref for g, c in c_grams.items()})
        kept_sys, kept_ref = s_rep & c_rep, s_rep & r_grams
        del_sys, del_ref = s_rep - c_rep, s_rep - r_grams
        stats[n - 1] = (
            len(added & set(r_grams)), len(added), len(ref_added),
            sum((kept_sys & kept_ref).values()), sum(kept_sys.values()), sum(kept_ref.values()),
            sum((del_sys & del_ref).values()), sum(del_sys.values()), sum(del_ref.values()),
        )
    return stats


def _strict_f1(correct: float, system: float, reference: float) -> float:
    # As EASSE's macro version: an order scores 0 unless both precision and recall are above 0.
    precision = correct / system if system > 0 else 0.0
    recall = correct / reference if reference > 0 else 0.0
    return 2 * precision * recall / (precision + recall) if precision > 0 and recall > 0 else 0.0


def corpus_sari_from_counts(counts: np.ndarray) -> tuple[float, float, float]:
    """(add, keep, delete) in 0..100 from n-gram statistics summed over the corpus, shape (4, 9):
    the F1 of each operation per n-gram order, averaged over the orders (EASSE `corpus_sari` defaults:
    macro over orders, F1 for deletion too)."""
    parts = []
    for op in range(3):
        parts.append(100.0 * sum(_strict_f1(*counts[n, 3 * op : 3 * op + 3]) for n in range(NGRAM_ORDER))
                     / NGRAM_ORDER)
    return parts[0], parts[1], parts[2]


class SARI(Metric):
    """SARI, 0..100, `references` one list per source (any number each, at least one).

    mode "corpus" (the default, named `SARI`): EASSE's default corpus SARI: add/keep/delete n-gram
    statistics are summed over the whole corpus, then turned into F1 scores; papers report this.
    mode "sentence-mean" (named `SARI-mean`): the mean of the reference code's sentence scores
    (Xu et al. 2016 SARIsent: deletion precision only), what this project reported before. The mode is
    in the signature, and each mode has its own name so the two are never mixed up in a table.
    """

    name = "SARI"
    task = "simplify"
    version = "xu2016-2"
    libraries = ("sacrebleu",)
    resamplable = True

    def __init__(self, *, tokenize: str = "13a", lowercase: bool = True, mode: str = "corpus") -> None:
        if mode not in SARI_MODES:
            from adapt.errors import UserError

            raise UserError(f"unknown SARI mode {mode!r}", hint=f"use one of {', '.join(SARI_MODES)}")
        self.tokenize = tokenize
        self.lowercase = lowercase
        self.mode = mode
        self.name = "SARI" if mode == "corpus" else "SARI-mean"  # type: ignore[misc]
        _tokenizer(tokenize)  # fail early on a bad name

    def settings(self) -> dict[str, Any]:
        corpus = "corpus-ngram-stats" if self.mode == "corpus" else "mean-of-sentences"
        settings = {"tok": self.tokenize, "case": "lc" if self.lowercase else "mixed", "ngram": NGRAM_ORDER,
                    "corpus": corpus, "mode": self.mode}
        if self.mode == "corpus":
            settings["delete"] = "f1"
        return settings

    def _norm(self, text: str) -> str:
        # Lowercase before tokenising, as EASSE's normalize does.
        text = text.strip()
        return _tokenizer(self.tokenize)(text.lower() if self.lowercase else text)

    def _prepared(self, sources: Sequence[str], predictions: Sequence[str],
                  references: Sequence[Sequence[str]]) -> list[tuple[str, str, list[str]]]:
        check_aligned(sources=sources, predictions=predictions, references=references)
        rows = []
        for src, pred, refs in zip(sources, predictions, references):
            refs = [r for r in refs if r is not None]
            if not refs:
                from adapt.errors import InputError

                raise InputError("SARI needs at least one reference for every source", hint="check --refs")
            rows.append((self._norm(src), self._norm(pred), [self._norm(r) for r in refs]))
        return rows

    def segment_parts(self, *, sources: Sequence[str], predictions: Sequence[str],
                      references: Sequence[Sequence[str]]) -> list[tuple[float, float, float]]:
        """Per sentence (keep, delete, add) of the sentence-mean mode, each 0..1."""
        return [sari_sentence_parts(s, p, r, lowercase=self.lowercase)
                for s, p, r in self._prepared(sources, predictions, references)]

    def segment_values(self, *, sources: Sequence[str], predictions: Sequence[str],
                       references: Sequence[Sequence[str]]) -> list[float]:
        """Per-sentence SARI, 0..100, in this metric's mode (corpus mode: each sentence as a corpus of one)."""
        if self.mode == "sentence-mean":
            return [100.0 * sum(p) / 3 for p in self.segment_parts(sources=sources, predictions=predictions,
                                                                   references=references)]
        return [sum(corpus_sari_from_counts(sari_ngram_counts(s, p, r))) / 3
                for s, p, r in self._prepared(sources, predictions, references)]

    def segment_stats(self, **inputs: Any) -> np.ndarray:
        if self.mode == "sentence-mean":
            values = np.asarray(self.segment_values(**inputs), dtype=np.float64)
            return np.stack([values, np.ones_like(values)], axis=1) if len(values) else np.zeros((0, 2))
        rows = self._prepared(inputs["sources"], inputs["predictions"], inputs["references"])
        if not rows:
            return np.zeros((0, NGRAM_ORDER * 9))
        return np.stack([sari_ngram_counts(s, p, r).reshape(-1) for s, p, r in rows])

    def score_from_stats(self, totals: np.ndarray) -> float:
        if self.mode == "sentence-mean":
            return float(totals[0] / totals[1]) if totals[1] else 0.0
        return sum(corpus_sari_from_counts(np.asarray(totals).reshape(NGRAM_ORDER, 9))) / 3

    def compute(self, *, sources: Sequence[str], predictions: Sequence[str], references: Sequence[Sequence[str]],
                model: Mapping[str, Any] | None = None) -> Score:
        if self.mode == "sentence-mean":
            parts = self.segment_parts(sources=sources, predictions=predictions, references=references)
            n = len(parts)
            mean = np.mean(parts, axis=0) * 100 if n else np.zeros(3)
            keep, delete, add = (float(x) for x in mean)
        else:
            stats = self.segment_stats(sources=sources, predictions=predictions, references=references)
            n = len(stats)
            add, keep, delete = corpus_sari_from_counts(stats.sum(axis=0).reshape(NGRAM_ORDER, 9)) if n else (0, 0, 0)
        details = {"keep": round(keep, 4), "delete": round(delete, 4), "add": round(add, 4)}
        return self.score((keep + delete + add) / 3 if n else 0.0, n=n, model=model, details=details)


def sari(*, sources: Sequence[str], predictions: Sequence[str], references: Sequence[Sequence[str]],
         mode: str = "corpus") -> float:
    """SARI (0..100) with the default settings (13a tokens, lowercased; corpus mode as EASSE): one list
    of references per source. For the signature and the keep/delete/add split, use `SARI().compute(...)`."""
    return SARI(mode=mode).compute(sources=sources, predictions=predictions, references=references).value


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
