"""A lexical view of the ISCED-F fields: TF-IDF of a document's words against each field's label texts.

Why: the e5 score sometimes cannot separate two or three fields (a toss-up, `subject.TOSS_UP_MARGIN`),
typically a module about lists or numbers in a programming book, where "Computer use", "Mathematics" and
"Software development" are equally close in meaning. The words themselves often decide it: the field's
ISCED-F text (what the field includes, and its keyword rows) shares more of the module's specific words.
The subject tagger uses this only to break toss-ups (README "Tagging that generalises", round 4).

English only: the field texts are English, so a document in another language shares no words with them
(the caller passes no words then). Words are lower-cased, stop words dropped and their common English
suffixes stripped (`stem`), so "programs" = "programming" = "program"; idf is computed over the fields,
so a word every field uses ("study") weighs little and a word one field uses ("stoichiometry") most.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

_WORD = re.compile(r"[a-z][a-z'-]+")
# Suffixes stripped by `stem`, longest first. A light stemmer rather than NLTK's Porter stemmer, whose
# import takes 20 s on a loaded machine (NLTK loads its whole package), for the same purpose here.
_SUFFIXES = sorted(("ational", "ations", "ation", "ings", "ing", "ies", "ied", "ness", "ments", "ment", "ities",
                    "ity", "ically", "ical", "ally", "ics", "ic", "ers", "er", "ed", "es", "s", "al", "ive", "ous",
                    "ly", "ists", "ist", "isms", "ism"), key=len, reverse=True)


def stem(word: str) -> str:
    """`word` without its longest common English suffix and a final e or y, keeping at least 4 letters
    ("studies" / "study" -> "stud", "programming" -> "program", "biology" / "biological" -> "biolog")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if suffix in ("ing", "ings", "ed", "er", "ers") and len(word) > 4 and word[-1] == word[-2]:
                word = word[:-1]  # "programm(ing)" -> "program", "controll(ed)" -> "control"
            break
    return word[:-1] if len(word) > 4 and word[-1] in "ey" else word


class FieldLexicon:
    """TF-IDF vectors of the fields' texts; `scores(text)` is the cosine of the text's vector to each."""

    def __init__(self, field_texts: Sequence[str]) -> None:
        from spacy.lang.en.stop_words import STOP_WORDS  # spaCy is loaded for the keywords anyway

        self._stop = STOP_WORDS
        self._stem: Callable[[str], str] = stem
        self._stems: dict[str, str] = {}
        docs = [Counter(self.tokens(t)) for t in field_texts]
        df = Counter(t for d in docs for t in d)
        n = len(docs)
        # BM25's idf (never negative): a stem in most fields counts little, one in a single field most.
        self.idf = {t: math.log((n - k + 0.5) / (k + 0.5) + 1) for t, k in df.items()}
        self._vocab = {t: i for i, t in enumerate(sorted(self.idf))}
        m = np.zeros((n, len(self._vocab)), dtype=np.float32)
        for row, d in enumerate(docs):
            for t, k in d.items():
                m[row, self._vocab[t]] = (1 + math.log(k)) * self.idf[t]
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        self._fields = m / norms

    def tokens(self, text: str) -> list[str]:
        """Stems of the text's words of 3+ letters that are not English stop words."""
        out = []
        for word in _WORD.findall(text.lower()):
            word = word.strip("'-")
            if len(word) < 3 or word in self._stop:
                continue
            stem = self._stems.get(word)
            if stem is None:
                stem = self._stems[word] = self._stem(word)
            out.append(stem)
        return out

    def scores(self, text: str) -> np.ndarray:
        """Cosine of the text's TF-IDF vector (sublinear tf) to each field's, in the fields' order."""
        q = np.zeros(len(self._vocab), dtype=np.float32)
        for t, k in Counter(self.tokens(text)).items():
            i = self._vocab.get(t)
            if i is not None:
                q[i] = (1 + math.log(k)) * self.idf[t]
        norm = float(np.linalg.norm(q))
        if norm == 0:
            return np.zeros(len(self._fields), dtype=np.float32)
        return self._fields @ (q / norm)
