"""Cut a resource's text into passages to embed: whole paragraphs where they fit, sentences otherwise.

A passage is what "why" shows, so it should read on its own: headings go with the paragraph after
them, very short pieces are merged with their neighbours, long paragraphs are split at sentences.
The e5 model reads 512 tokens at most; ~120 words stays well inside that in every language we use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from models.sentences import split_sentences

MAX_WORDS = 120
MIN_WORDS = 8
MAX_CHUNKS = 400  # a whole textbook in one file is still searchable by its first 400 passages


def _words(text: str) -> int:
    return len(text.split())


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def chunk_texts(pieces: Iterable[str], *, max_words: int = MAX_WORDS, min_words: int = MIN_WORDS,
                max_chunks: int = MAX_CHUNKS) -> list[str]:
    """Passages from pieces of text in reading order (paragraphs, headings, list items...)."""
    pieces = list(pieces)
    if len(pieces) == 1:  # the common case of a metadata record: one short text is one passage
        only = _normalise(pieces[0])
        if only and _words(only) <= max_words:
            return [only]
    units: list[str] = []
    for piece in pieces:
        piece = _normalise(piece)
        if not piece:
            continue
        if _words(piece) <= max_words:
            units.append(piece)
            continue
        for sentence in split_sentences(piece):
            sentence = _normalise(sentence)
            while _words(sentence) > max_words:  # a run-on "sentence" (a list without stops): cut at words
                words = sentence.split()
                units.append(" ".join(words[:max_words]))
                sentence = " ".join(words[max_words:])
            if sentence:
                units.append(sentence)
    chunks: list[str] = []
    buffer: list[str] = []
    for unit in units:
        if buffer and _words(" ".join(buffer)) + _words(unit) > max_words and _words(" ".join(buffer)) >= min_words:
            chunks.append(" ".join(buffer))
            buffer = []
        buffer.append(unit)
        if _words(" ".join(buffer)) >= max_words // 2 and _words(unit) >= min_words:
            chunks.append(" ".join(buffer))
            buffer = []
        if len(chunks) >= max_chunks:
            break
    if buffer and len(chunks) < max_chunks:
        tail_words = _words(" ".join(buffer))
        if chunks and tail_words < min_words and _words(chunks[-1]) + tail_words <= max_words:
            chunks[-1] = chunks[-1] + " " + " ".join(buffer)
        else:
            chunks.append(" ".join(buffer))
    return chunks[:max_chunks]
