"""Embed each text once: vectors kept in SQLite, keyed by (embedder signature + kind, sha256 of the text).

A changed model or a new version of it has another signature, so stale vectors are never mixed in.
Misses are embedded in batches and written batch by batch: an interrupted build keeps what it did.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from adapt.progress import Progress
from adapt.store import Store, now


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embedder_key(embedder, kind: str = "passage") -> str:
    """What identifies a vector's origin: the model signature and whether it was embedded as a passage."""
    return f"{embedder.signature()}#{kind}"


@dataclass
class CacheStats:
    hits: int = 0
    embedded: int = 0  # texts sent to the model


class EmbeddingCache:
    def __init__(self, store: Store, embedder, *, batch_size: int = 256, kind: str = "passage") -> None:
        if kind not in ("passage", "query"):
            raise ValueError("kind is passage or query")
        self.store = store
        self.embedder = embedder
        self.kind = kind
        self.key = embedder_key(embedder, kind)
        self.batch_size = batch_size
        self.stats = CacheStats()

    def missing(self, hashes: Sequence[str]) -> set[str]:
        """The hashes that have no vector yet."""
        wanted = list(dict.fromkeys(hashes))

        def find(conn: sqlite3.Connection) -> set[str]:
            have: set[str] = set()
            for i in range(0, len(wanted), 500):
                part = wanted[i : i + 500]
                marks = ",".join("?" * len(part))
                have.update(r[0] for r in conn.execute(
                    f"SELECT text_hash FROM embedding_cache WHERE embedder = ? AND text_hash IN ({marks})",
                    (self.key, *part)))
            return have

        return set(wanted) - self.store.read(find)

    def ensure(self, texts: Sequence[str], *, progress: Progress | None = None) -> int:
        """Embed the texts that have no vector yet; returns how many were embedded."""
        by_hash = {text_hash(t): t for t in texts}
        missing = self.missing(list(by_hash))
        todo = [h for h in by_hash if h in missing]
        self.stats.hits += len(by_hash) - len(todo)
        done = 0
        if progress:
            progress(0, len(todo))
        for i in range(0, len(todo), self.batch_size):
            part = todo[i : i + self.batch_size]
            texts = [by_hash[h] for h in part]
            if self.kind == "passage":
                vectors = self.embedder.embed_passages(texts)
            else:
                vectors = self.embedder.embed_queries(texts)
            self.put(part, vectors)
            done += len(part)
            self.stats.embedded += len(part)
            if progress:
                progress(done, len(todo))
        return done

    def put(self, hashes: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype="<f4")
        stamp = now()
        rows = [(self.key, h, int(v.shape[0]), v.tobytes(), stamp) for h, v in zip(hashes, vectors)]
        self.store.write(lambda c: c.executemany(
            "INSERT OR REPLACE INTO embedding_cache (embedder, text_hash, dim, vector, created_at) "
            "VALUES (?, ?, ?, ?, ?)", rows))

    def get(self, hashes: Sequence[str]) -> np.ndarray:
        """Vectors for hashes already embedded, in order (KeyError for one that is not)."""
        found: dict[str, bytes] = {}

        def fetch(conn: sqlite3.Connection) -> None:
            unique = list(dict.fromkeys(hashes))
            for i in range(0, len(unique), 500):
                part = unique[i : i + 500]
                marks = ",".join("?" * len(part))
                for h, blob in conn.execute(
                    f"SELECT text_hash, vector FROM embedding_cache WHERE embedder = ? AND text_hash IN ({marks})",
                    (self.key, *part)):
                    found[h] = blob

        self.store.read(fetch)
        out = np.empty((len(hashes), self.embedder.dim), dtype=np.float32)
        for i, h in enumerate(hashes):
            out[i] = np.frombuffer(found[h], dtype="<f4")
        return out

    def embed(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        """Vectors for texts, embedding only the ones never seen."""
        self.ensure(texts, progress=progress)
        return self.get([text_hash(t) for t in texts])
