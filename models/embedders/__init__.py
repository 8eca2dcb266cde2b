"""Sentence embedders by name. Built on request; weights load on first use, once per process."""

from __future__ import annotations

from collections.abc import Callable

from adapt.errors import UserError
from models.embedders.base import Embedder, normalise


def _minilm(**options) -> Embedder:
    from models.embedders.minilm import MiniLMEmbedder

    return MiniLMEmbedder(**options)


def _e5(**options) -> Embedder:
    from models.embedders.e5 import E5Embedder

    return E5Embedder(**options)


EMBEDDERS: dict[str, Callable[..., Embedder]] = {"minilm": _minilm, "e5": _e5}
# Chosen by the bitext-retrieval evaluation (scripts/eval_embedders.py; README, "Related resources"): on the
# 1,997 NTREX-128 en/pt-BR pairs e5 finds the translation first 96.6% (en→pt) / 91.7% (pt→en) of the time,
# MiniLM 40.7% / 41.7%.
DEFAULT_EMBEDDER = "e5"


def get_embedder(name: str | None = None, **options) -> Embedder:
    key = name or DEFAULT_EMBEDDER
    factory = EMBEDDERS.get(key)
    if factory is None:
        raise UserError(f"unknown embedder {key!r}", hint=f"choose one of {', '.join(sorted(EMBEDDERS))}")
    return factory(**options)


__all__ = ["DEFAULT_EMBEDDER", "EMBEDDERS", "Embedder", "get_embedder", "normalise"]
