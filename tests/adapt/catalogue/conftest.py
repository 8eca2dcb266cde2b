"""A small, deterministic embedder for tests about the catalogue (not about the models): a hashed bag of
words, so texts sharing words are similar. It counts every text it is asked to embed."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import pytest

from models.embedders import normalise
from models.signature import ModelSignature


class BagOfWordsEmbedder:
    name = "bow"
    dim = 64
    multilingual = False

    def __init__(self, version: str = "1") -> None:
        self.version = version
        self.embedded: list[str] = []

    def _vector(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256((self.version + word).encode()).digest()[:8], "little")
        return np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i] += self._vector(word)
        return normalise(out)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return self._embed(texts)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def signature(self) -> ModelSignature:
        return ModelSignature("test", "bag-of-words", self.version)


@pytest.fixture
def embedder() -> BagOfWordsEmbedder:
    return BagOfWordsEmbedder()


@pytest.fixture
def catalogue(store, embedder, tmp_path):
    from adapt.catalogue.catalogue import Catalogue

    return Catalogue(store, embedder, index_folder=tmp_path / "index")


def write_jsonl(path, records) -> None:
    import json

    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


TOPICS = [
    {"title": "Photosynthesis in plants", "description": "Plants turn sunlight water and carbon dioxide into glucose "
     "and oxygen inside chloroplasts.", "url": "https://example.org/photosynthesis", "language": "en",
     "licence": "CC-BY-4.0", "subject": ["biology"]},
    {"title": "For loops in Python", "description": "A for loop repeats a block of code once for every item of a "
     "list or range.", "url": "https://example.org/loops", "language": "en", "licence": "CC-BY-NC-4.0",
     "subject": "programming"},
    {"title": "Fotossíntese nas plantas", "description": "As plantas transformam luz do sol água e dióxido de "
     "carbono em glicose e oxigênio nos cloroplastos.", "url": "https://example.org/pt/fotossintese",
     "language": "pt-BR", "licence": "CC-BY-SA-4.0", "subject": ["biologia"]},
    {"title": "A Revolução Francesa", "description": "A Revolução Francesa começou em 1789 com a queda da Bastilha "
     "em Paris.", "url": "https://example.org/pt/revolucao", "language": "pt", "licence": "CC-BY-ND-4.0"},
    {"title": "The French Revolution", "description": "The French Revolution began in 1789 when the people of "
     "Paris stormed the Bastille.", "url": "https://example.org/revolution", "language": "en"},
]


@pytest.fixture
def topics() -> list[dict]:
    import copy

    return copy.deepcopy(TOPICS)


@pytest.fixture
def jsonl(tmp_path):
    """Write records to a JSONL file and return its path."""
    def make(records, name: str = "catalogue.jsonl"):
        path = tmp_path / name
        write_jsonl(path, records)
        return path

    return make
