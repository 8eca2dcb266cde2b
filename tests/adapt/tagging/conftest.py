"""Tagging fixtures: the real e5 tagger once per session (its label vectors and every chunk it embeds
are cached for the whole session), and a tiny deterministic embedder for tests about the store."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from models.signature import ModelSignature


class HashEmbedder:
    """Bag of words hashed into 384 dimensions: same words, close vectors. Not a language model: for
    tests of the tag / review / export plumbing only."""

    name = "hash"
    dim = 384
    multilingual = False

    def _embed(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    embed_queries = _embed
    embed_passages = _embed

    def signature(self):
        return ModelSignature("test", "hash-bag-of-words", "1")


@pytest.fixture
def hash_tagger():
    from adapt.tagging.tagger import Tagger

    return Tagger(HashEmbedder())


@pytest.fixture(scope="session")
def e5_tagger():
    from adapt.settings import apply_offline_environment
    from adapt.tagging.tagger import Tagger
    from models.embedders import get_embedder

    apply_offline_environment()
    return Tagger(get_embedder("e5"))
