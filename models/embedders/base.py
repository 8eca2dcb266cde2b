"""The embedder interface: texts in, unit-length float32 vectors out (rows of a numpy array)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from models.signature import ModelSignature


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int
    multilingual: bool

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for search queries (shape: len(texts) × dim, L2-normalised)."""

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for the things searched (documents, chunks, labels)."""

    def signature(self) -> ModelSignature: ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms
