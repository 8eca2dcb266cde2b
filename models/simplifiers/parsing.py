"""One spaCy parse per sentence text, shared by the lexical and structural simplifiers.

The default simplifier used to parse each sentence three or four times (lexical candidates, passive,
apposition, clause splits) with two pipelines. The tagger and parser are the same in both (the lemmatizer
only adds lemmas), so one pipeline with lemmas serves every rule, and a small LRU cache keyed by the text
returns the same Doc to each of them. `parse_many` fills the cache with `nlp.pipe` over a whole batch.
Rules only read Docs, never change them, so sharing one is safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

CACHE_SIZE = 2048
_cache: OrderedDict[str, Any] = OrderedDict()
_lock = threading.Lock()


def _nlp() -> Any:
    from models.simplifiers.lexical import lexical_nlp

    return lexical_nlp()


def _remember(text: str, doc: Any) -> None:
    with _lock:
        _cache[text] = doc
        _cache.move_to_end(text)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def _cached(text: str) -> Any | None:
    with _lock:
        doc = _cache.get(text)
        if doc is not None:
            _cache.move_to_end(text)
        return doc


def parse(text: str) -> Any:
    """The spaCy Doc of `text` (tagger, parser, lemmatizer; no NER), parsed at most once while cached."""
    doc = _cached(text)
    if doc is None:
        doc = _nlp()(text)
        _remember(text, doc)
    return doc


def parse_many(texts: Sequence[str], batch_size: int = 64) -> list[Any]:
    """Docs of all `texts`, the missing ones parsed together with nlp.pipe (cheaper than one by one)."""
    missing = list(dict.fromkeys(t for t in texts if _cached(t) is None))
    if missing:
        for text, doc in zip(missing, _nlp().pipe(missing, batch_size=batch_size)):
            _remember(text, doc)
    return [parse(t) for t in texts]


def clear() -> None:
    with _lock:
        _cache.clear()
