"""Subject tagging against ISCED-F 2013, zero-shot with the multilingual e5 embedder.

How a document is scored (chosen on the two OpenStax books, see README "Tagging"):
- The document is cut into chunks of about 100 words, each prefixed with its title; a long document
  is sampled evenly (whole-document context without embedding every word).
- Each detailed field is represented by its description (adapt/data/isced_f_descriptions.tsv) and,
  with a small weight, its keyword rows. Both sides are *centred*: the mean vector of all field
  descriptions is subtracted before the cosine. e5's raw cosines all sit in 0.75-0.92 and generic
  text leans toward a few "hub" fields; centring removed most of that (module-alone accuracy on
  intro Python 76% → 95%).
- A field's score is the mean over chunks; `context` (e.g. the book a module belongs to) adds its
  own chunks' mean score with `context_weight`.
- The hierarchy gives each suggestion its narrow and broad field, and narrow scores (the best child).
Residual codes (not further defined, inter-disciplinary, not elsewhere classified) are never proposed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adapt.taxonomy import Taxonomy, isced

CHUNK_WORDS = 100
MAX_CHUNKS = 24
KEYWORD_WEIGHT = 0.1
CONTEXT_WEIGHT = 0.5
SOFTMAX_TEMPERATURE = 0.05


@dataclass(frozen=True)
class SubjectTag:
    code: str  # detailed field (4 digits)
    label: str
    score: float  # centred cosine, averaged over chunks (higher is better; compare, don't threshold)
    probability: float  # softmax share over all detailed fields, for display
    narrow: str
    narrow_label: str
    broad: str
    broad_label: str
    rank: int

    @property
    def text(self) -> str:
        return f"{self.code} {self.label}"

    def to_json(self) -> dict:
        return {"code": self.code, "label": self.label, "score": round(self.score, 4),
                "probability": round(self.probability, 4), "narrow": self.narrow, "narrow_label": self.narrow_label,
                "broad": self.broad, "broad_label": self.broad_label, "rank": self.rank}


def chunk_text(texts: Sequence[str], *, title: str | None = None, words: int = CHUNK_WORDS,
               max_chunks: int = MAX_CHUNKS) -> list[str]:
    """~`words`-word chunks of the document, sampled evenly down to `max_chunks`, each led by the title."""
    flat = " ".join(t.strip() for t in texts if t and t.strip()).split()
    chunks = [" ".join(flat[i : i + words]) for i in range(0, len(flat), words)]
    if not chunks:
        chunks = [title or ""]
    if len(chunks) > max_chunks:
        picks = np.linspace(0, len(chunks) - 1, max_chunks).round().astype(int)
        chunks = [chunks[i] for i in sorted(set(picks.tolist()))]
    lead = f"{title.strip()}. " if title and title.strip() else ""
    return [lead + c for c in chunks]


class SubjectTagger:
    """Ranks the ISCED-F detailed fields for a document. Label vectors are computed once per tagger."""

    def __init__(self, embedder, taxonomy: Taxonomy | None = None, *, keyword_weight: float = KEYWORD_WEIGHT,
                 context_weight: float = CONTEXT_WEIGHT, cache_dir: Path | None = None) -> None:
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.taxonomy = taxonomy or isced()
        self.keyword_weight = keyword_weight
        self.context_weight = context_weight
        self._labels: tuple[list[str], np.ndarray, np.ndarray, np.ndarray] | None = None

    def settings(self) -> dict:
        return {"taxonomy": "ISCED-F 2013", "chunk_words": CHUNK_WORDS, "max_chunks": MAX_CHUNKS,
                "keyword_weight": self.keyword_weight, "context_weight": self.context_weight, "centred": True}

    def _label_vectors(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """(codes, centre, description vectors, keyword-mean vectors), all centred and unit length."""
        if self._labels is None:
            fields = self.taxonomy.at_level("detailed")
            codes = [f.code for f in fields]
            texts = [self.taxonomy.label_texts(c) for c in codes]
            flat = [t for group in texts for t in group]
            vectors = self._cached_label_vectors(flat)
            desc, kw, at = [], [], 0
            for group in texts:
                block = vectors[at : at + len(group)]
                at += len(group)
                desc.append(block[0])
                kw.append(block[1:].mean(axis=0) if len(group) > 1 else block[0])
            desc_m, kw_m = np.vstack(desc), np.vstack(kw)
            centre = desc_m.mean(axis=0, keepdims=True)
            self._labels = (codes, centre, _unit(desc_m - centre), _unit(kw_m - centre))
        return self._labels

    def _cached_label_vectors(self, texts: list[str]) -> np.ndarray:
        """~1,300 label texts take a minute to embed on two cores: keep them on disk, keyed by the texts
        and the model, so only the first run pays."""
        if self.cache_dir is None:
            return self.embedder.embed_passages(texts)
        key = hashlib.sha256(("\n".join(texts) + "|" + str(self.embedder.signature())).encode()).hexdigest()[:16]
        path = Path(self.cache_dir) / f"isced-labels-{self.embedder.name}-{key}.npy"
        if path.exists():
            try:
                cached = np.load(path)
                if cached.shape == (len(texts), self.embedder.dim):
                    return cached
            except (OSError, ValueError):
                pass  # a broken cache file is rebuilt below
        vectors = self.embedder.embed_passages(texts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".partial.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        except OSError:
            pass  # a read-only cache only costs time
        return vectors

    def embed(self, chunks: Sequence[str]) -> np.ndarray:
        return self.embedder.embed_queries(list(chunks))

    def field_scores(self, chunk_vectors: np.ndarray) -> dict[str, float]:
        """Each detailed field's score for a set of chunk vectors (mean over chunks)."""
        codes, centre, desc, kw = self._label_vectors()
        if len(chunk_vectors) == 0:
            return {c: 0.0 for c in codes}
        q = _unit(np.asarray(chunk_vectors) - centre)
        scores = (q @ desc.T).mean(axis=0) + self.keyword_weight * (q @ kw.T).mean(axis=0)
        return dict(zip(codes, scores.tolist()))

    def rank(self, chunk_vectors: np.ndarray, *, context_vectors: np.ndarray | None = None,
             top_k: int = 3) -> list[SubjectTag]:
        scores = self.field_scores(chunk_vectors)
        if context_vectors is not None and len(context_vectors):
            context = self.field_scores(context_vectors)
            scores = {c: s + self.context_weight * context[c] for c, s in scores.items()}
        codes = list(scores)
        values = np.array([scores[c] for c in codes])
        probs = np.exp((values - values.max()) / SOFTMAX_TEMPERATURE)
        probs /= probs.sum()
        order = np.argsort(-values)[:top_k]
        tags = []
        for rank, i in enumerate(order, start=1):
            code = codes[i]
            narrow, broad = self.taxonomy[code[:3]], self.taxonomy[code[:2]]
            tags.append(SubjectTag(code, self.taxonomy[code].label, float(values[i]), float(probs[i]), narrow.code,
                                   narrow.label, broad.code, broad.label, rank))
        return tags

    def tag(self, texts: Sequence[str], *, title: str | None = None, context_texts: Sequence[str] | None = None,
            top_k: int = 3) -> list[SubjectTag]:
        vectors = self.embed(chunk_text(texts, title=title))
        context = self.embed(chunk_text(context_texts)) if context_texts else None
        return self.rank(vectors, context_vectors=context, top_k=top_k)


def _unit(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return (m / norms).astype(np.float32)
