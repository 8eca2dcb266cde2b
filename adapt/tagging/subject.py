"""Subject tagging against ISCED-F 2013, zero-shot with the multilingual e5 embedder.

How a document is scored (README "Tagging" has the per-book figures and the commands):
- The document is cut into chunks of about 100 words, each prefixed with its title; a long document
  is sampled evenly down to `MAX_CHUNKS` (whole-document context without embedding every word).
- Each detailed field is represented by its description (adapt/data/isced_f_descriptions.tsv, written
  from what ISCED-F 2013 says the field includes) and, with a small weight, its keyword rows. Both sides
  are *centred*: the mean vector of all field descriptions is subtracted before the cosine.
- Hub correction, per-field calibration on unlabelled text: e5 puts some fields (software, protection of
  persons and property, secretarial work...) close to any text. Each field's score is lowered by its
  mean score over a pool of text that favours no field: the ~1,050 ISCED-F keyword rows of *all* fields,
  embedded as documents are. A field that is close to everything loses what it gains from being close
  to everything. (No book is used: the pool ships with the taxonomy, so no field can be tuned to a book.)
- A field's score is the mean over chunks. A context (e.g. the book a module belongs to) is ranked on
  its own: its chunks' mean score plus the score of its title alone ("U.S. History", "Biology 2e": a
  book's title is a short, confident statement of its subject, where the mean of its early chapters can
  lean elsewhere, e.g. a history book's trade chapters towards economics). The module's scores are then
  added to `context_weight` times the context's: the book's field wins unless the module is clearly
  elsewhere.
- Confidence: when the best field leads the second by less than `TOSS_UP_MARGIN`, the top 3 are flagged
  as a toss-up (offered as equals; the order stays by score).
- Words break a toss-up (English text only): the `WORDS_CANDIDATES` best fields are ranked by the TF-IDF
  cosine of the document's words to each field's ISCED-F text (`lexical.FieldLexicon`), and each gains
  up to `TOSS_UP_MARGIN` by that rank (the first most, the last nothing). Only a field already within
  reach of the lead can overtake it, so a clear e5 ranking is never changed; the scores stay the
  ranking (best first), and the entries say `words: true`.
- The hierarchy gives each suggestion its narrow and broad field. Residual codes (not further defined,
  inter-disciplinary, not elsewhere classified) are never proposed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adapt.tagging.lexical import FieldLexicon
from adapt.taxonomy import Taxonomy, isced

CHUNK_WORDS = 100
# Chunks embedded per document. Embedding them is most of a module's tagging time (24 chunks took ~2.5 of
# ~6 CPU-seconds); 8 evenly spaced chunks still cover a long module, and the evaluation scores 3 per module.
MAX_CHUNKS = 6
CONTEXT_CHUNKS = 24  # the context (a whole book) is wider than one module: more of it is sampled
KEYWORD_WEIGHT = 0.1
# The book's ranking (chunk mean + title) counts 1.5x the module's. Chosen on the six development books
# (README "Tagging that generalises": with the title, 1.0 left 2 of Biology's 7 chemistry-heavy modules on
# 0512 Biochemistry; 1.5 and 2.0 got every module of every book right).
CONTEXT_WEIGHT = 1.5
SOFTMAX_TEMPERATURE = 0.05
HUB_WEIGHT = 1.0  # how much of a field's mean score over the neutral pool is taken off (0: no correction)
# Score gap (centred cosine units) under which the first field is a toss-up. On the development modules
# (5 per book, module alone) a gap under 0.03 held 3 of 5 wrong first fields and 3 of 25 right ones.
TOSS_UP_MARGIN = 0.03
# Fields the words may reorder in a toss-up. Chosen on the six development books' modules alone (README,
# round 4): 5 did better there than 3 and than 8, and did not hurt the five other books.
WORDS_CANDIDATES = 5


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
    toss_up: bool = False  # the first field's lead is too small: the top suggestions are equals
    words: bool = False  # a toss-up whose order the document's words helped decide (score includes it)

    @property
    def text(self) -> str:
        return f"{self.code} {self.label}"

    def to_json(self) -> dict:
        return {"code": self.code, "label": self.label, "score": round(self.score, 4),
                "probability": round(self.probability, 4), "narrow": self.narrow, "narrow_label": self.narrow_label,
                "broad": self.broad, "broad_label": self.broad_label, "rank": self.rank,
                "toss_up": self.toss_up, "words": self.words}


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
                 context_weight: float = CONTEXT_WEIGHT, hub_weight: float = HUB_WEIGHT,
                 toss_up_margin: float = TOSS_UP_MARGIN, cache_dir: Path | None = None) -> None:
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.taxonomy = taxonomy or isced()
        self.keyword_weight = keyword_weight
        self.context_weight = context_weight
        self.hub_weight = hub_weight
        self.toss_up_margin = toss_up_margin
        self._labels: tuple[list[str], np.ndarray, np.ndarray, np.ndarray] | None = None
        self._hub: np.ndarray | None = None
        self._lexicon: FieldLexicon | None = None

    def settings(self) -> dict:
        return {"taxonomy": "ISCED-F 2013", "chunk_words": CHUNK_WORDS, "max_chunks": MAX_CHUNKS,
                "context_chunks": CONTEXT_CHUNKS, "context": "chunk mean + title",
                "keyword_weight": self.keyword_weight, "context_weight": self.context_weight, "centred": True,
                "hub_correction": "field mean over ISCED-F keyword rows" if self.hub_weight else None,
                "hub_weight": self.hub_weight, "toss_up_margin": self.toss_up_margin,
                "toss_up_words": f"tf-idf rank among the top {WORDS_CANDIDATES}, English text"}

    def _label_vectors(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """(codes, centre, description vectors, keyword-mean vectors), all centred and unit length."""
        if self._labels is None:
            self._labels = self.label_vectors_as("passage")
        return self._labels

    def label_vectors_as(self, kind: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """The label vectors with the label texts embedded as `kind` ("passage", as the tagger does, or
        "query", e5's symmetric use, which evaluation.tagging_adapter compares); not kept on the tagger."""
        codes = [f.code for f in self.taxonomy.at_level("detailed")]
        texts = [self.taxonomy.label_texts(c) for c in codes]
        vectors = self._cached_label_vectors([t for group in texts for t in group], kind=kind)
        desc, kw, at = [], [], 0
        for group in texts:
            block = vectors[at : at + len(group)]
            at += len(group)
            desc.append(block[0])
            kw.append(block[1:].mean(axis=0) if len(group) > 1 else block[0])
        desc_m, kw_m = np.vstack(desc), np.vstack(kw)
        centre = desc_m.mean(axis=0, keepdims=True)
        return codes, centre, _unit(desc_m - centre), _unit(kw_m - centre)

    def _hub_penalty(self) -> np.ndarray:
        """Each field's mean raw score over the neutral pool (every field's keyword rows, embedded as
        documents are): what the field gets from any text. Computed once per tagger, cached on disk."""
        if self._hub is None:
            codes = self._label_vectors()[0]
            pool_texts = [k for c in codes for k in self.taxonomy.label_texts(c)[1:]]
            if self.hub_weight and pool_texts:
                pool = self._cached_label_vectors(pool_texts, kind="query")
                self._hub = self._raw_scores(pool).mean(axis=0)
            else:
                self._hub = np.zeros(len(codes), dtype=np.float32)
        return self._hub

    def _cached_label_vectors(self, texts: list[str], *, kind: str = "passage") -> np.ndarray:
        """~1,300 label texts take a minute to embed on two cores: keep them on disk, keyed by the texts
        and the model, so only the first run pays."""
        embed = self.embedder.embed_queries if kind == "query" else self.embedder.embed_passages
        if self.cache_dir is None:
            return embed(texts)
        key = hashlib.sha256(("\n".join(texts) + "|" + kind + "|" + str(self.embedder.signature())).encode())
        path = Path(self.cache_dir) / f"isced-labels-{self.embedder.name}-{key.hexdigest()[:16]}.npy"
        if path.exists():
            try:
                cached = np.load(path)
                if cached.shape == (len(texts), self.embedder.dim):
                    return cached
            except (OSError, ValueError):
                pass  # a broken cache file is rebuilt below
        vectors = embed(texts)
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

    def _raw_scores(self, vectors: np.ndarray) -> np.ndarray:
        """(rows x fields) centred cosines to the descriptions plus the weighted keyword means."""
        _, centre, desc, kw = self._label_vectors()
        q = _unit(np.asarray(vectors) - centre)
        return q @ desc.T + self.keyword_weight * (q @ kw.T)

    def field_scores(self, chunk_vectors: np.ndarray) -> dict[str, float]:
        """Each detailed field's score for a set of chunk vectors (mean over chunks, hub-corrected)."""
        codes = self._label_vectors()[0]
        hub = self._hub_penalty()
        if len(chunk_vectors) == 0:
            return {c: 0.0 for c in codes}
        scores = self._raw_scores(chunk_vectors).mean(axis=0) - self.hub_weight * hub
        return dict(zip(codes, scores.tolist()))

    def context_scores(self, context_vectors: np.ndarray | None,
                       title_vector: np.ndarray | None = None) -> dict[str, float] | None:
        """The context's own ranking: its chunks' mean field score plus its title's (None without either)."""
        parts = []
        if context_vectors is not None and len(context_vectors):
            parts.append(self.field_scores(context_vectors))
        if title_vector is not None and np.asarray(title_vector).size:
            parts.append(self.field_scores(np.atleast_2d(title_vector)))
        if not parts:
            return None
        return {c: sum(p[c] for p in parts) for c in parts[0]}

    def lexicon(self) -> FieldLexicon:
        """The fields' TF-IDF vectors (their label texts, in the order of the label vectors), built once."""
        if self._lexicon is None:
            codes = self._label_vectors()[0]
            self._lexicon = FieldLexicon([" ".join(self.taxonomy.label_texts(c)) for c in codes])
        return self._lexicon

    def _break_toss_up(self, values: np.ndarray, words: str) -> bool:
        """In a toss-up, add to each of the best `WORDS_CANDIDATES` fields up to `toss_up_margin` by the rank
        of its TF-IDF match with `words` (in place). False when no field shares a word with the text."""
        top = np.argsort(-values)[:WORDS_CANDIDATES]
        lexical = self.lexicon().scores(words)[top]
        if len(top) < 2 or float(lexical.max()) <= 0:
            return False
        order = np.argsort(-lexical, kind="stable")  # equal matches keep the e5 order
        rank = np.empty(len(top))
        rank[order] = np.arange(len(top))
        values[top] += self.toss_up_margin * (1 - rank / (len(top) - 1))
        return True

    def rank(self, chunk_vectors: np.ndarray, *, context_vectors: np.ndarray | None = None,
             context_title_vector: np.ndarray | None = None, top_k: int = 3,
             words: str | None = None) -> list[SubjectTag]:
        """The best `top_k` fields. `words`: the document's English text, used only to break a toss-up
        (leave it out for other languages: the field texts it is matched against are English)."""
        scores = self.field_scores(chunk_vectors)
        context = self.context_scores(context_vectors, context_title_vector)
        if context is not None:
            scores = {c: s + self.context_weight * context[c] for c, s in scores.items()}
        codes = list(scores)
        values = np.array([scores[c] for c in codes])
        ranked = np.argsort(-values)
        lead = float(values[ranked[0]] - values[ranked[1]]) if len(ranked) > 1 else float("inf")
        toss_up = lead < self.toss_up_margin
        by_words = bool(toss_up and words and words.strip() and self._break_toss_up(values, words))
        if by_words:
            ranked = np.argsort(-values)
        probs = np.exp((values - values.max()) / SOFTMAX_TEMPERATURE)
        probs /= probs.sum()
        order = ranked[:top_k]
        tags = []
        for rank, i in enumerate(order, start=1):
            code = codes[i]
            narrow, broad = self.taxonomy[code[:3]], self.taxonomy[code[:2]]
            tags.append(SubjectTag(code, self.taxonomy[code].label, float(values[i]), float(probs[i]), narrow.code,
                                   narrow.label, broad.code, broad.label, rank, toss_up, by_words))
        return tags

    def embed_context(self, texts: Sequence[str] | None,
                      title: str | None = None) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(chunk vectors, title vector) of a context; either is None when it is missing."""
        vectors = self.embed(chunk_text(texts, max_chunks=CONTEXT_CHUNKS)) if texts else None
        title_vector = self.embed([title.strip()])[0] if title and title.strip() else None
        return vectors, title_vector

    def tag(self, texts: Sequence[str], *, title: str | None = None, context_texts: Sequence[str] | None = None,
            context_title: str | None = None, top_k: int = 3, english: bool = False) -> list[SubjectTag]:
        """Rank the fields for a document; `english`: its words may break a toss-up (see `rank`)."""
        vectors = self.embed(chunk_text(texts, title=title))
        context, context_title_vector = self.embed_context(context_texts, context_title)
        words = document_words(texts, title) if english else None
        return self.rank(vectors, context_vectors=context, context_title_vector=context_title_vector, top_k=top_k,
                         words=words)


def document_words(texts: Sequence[str], title: str | None = None) -> str:
    """The text a toss-up's words are read from: the title and every paragraph."""
    return ". ".join([title or "", *texts])


def _unit(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return (m / norms).astype(np.float32)
