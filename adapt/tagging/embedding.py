"""An embedder wrapper that remembers what it has embedded, so that tagging a book's modules one by
one, then the book, then its keywords, embeds each chunk once per process."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np


class CachedEmbedder:
    def __init__(self, embedder, *, max_items: int = 200_000) -> None:
        self.embedder = embedder
        self.name = embedder.name
        self.dim = embedder.dim
        self.multilingual = embedder.multilingual
        self.max_items = max_items
        self._cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.misses = 0

    def _get(self, kind: str, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if (kind, t) not in self._cache))
        if todo:
            method = self.embedder.embed_queries if kind == "query" else self.embedder.embed_passages
            vectors = method(todo)
            with self._lock:
                self.misses += len(todo)
                for text, vector in zip(todo, vectors):
                    self._cache[(kind, text)] = vector
                while len(self._cache) > self.max_items:
                    self._cache.popitem(last=False)
        with self._lock:
            return np.vstack([self._cache[(kind, t)] if (kind, t) in self._cache
                              else self._fallback(kind, t) for t in texts])

    def _fallback(self, kind: str, text: str) -> np.ndarray:
        # Evicted between the two locks (only with a tiny max_items): embed it again.
        method = self.embedder.embed_queries if kind == "query" else self.embedder.embed_passages
        return method([text])[0]

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._get("query", texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._get("passage", texts)

    def signature(self):
        return self.embedder.signature()
