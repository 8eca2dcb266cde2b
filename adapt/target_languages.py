"""The target languages a user can pick, each with the route that reaches it and its measured chrF
(for the review UI's language list and anything else that offers a choice of target)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NAMES = {"pt": "Portuguese", "en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
         "nl": "Dutch", "pl": "Polish", "uk": "Ukrainian", "ca": "Catalan", "gl": "Galician", "eo": "Esperanto",
         "eu": "Basque", "sw": "Swahili"}


# Quality bands on NTREX-128 chrF, from the routes this project offers (README "Translation routes"):
# Bergamot en→pt 62.5 (a direct neural model: "good"), the Bergamot + Apertium pivots to es/ca/gl 54-56
# ("fair"), Apertium's direct rule-based pairs 46-48 ("rough"). chrF means nothing to a teacher; the band does.
GOOD_CHRF, FAIR_CHRF = 60.0, 50.0
QUALITY_WORDS = {"good": "good draft", "fair": "fair draft", "rough": "rough draft", "unmeasured": "not measured",
                 "via": "through {language}"}


def quality_band(chrf: float | None) -> str:
    """"good", "fair", "rough" or "unmeasured" for a route's measured chrF."""
    if chrf is None:
        return "unmeasured"
    return "good" if chrf >= GOOD_CHRF else "fair" if chrf >= FAIR_CHRF else "rough"


def target_label(code: str, choice: Any | None = None, names: Mapping[str, str] = NAMES, *,
                 words: Mapping[str, str] | None = None, pivot_names: Mapping[str, str] | None = None) -> str:
    """`Spanish (es) · chrF 55.0 via pt` for a route measured on NTREX-128 (what an evaluator reads); with
    `words` (QUALITY_WORDS, or the UI's translation of them), `Spanish (es) · fair draft, through Portuguese`
    (what a teacher reads; `pivot_names`: the pivot as running text names it, "através do português"). The
    name alone without a route."""
    label = f"{names.get(code, code)} ({code})"
    if choice is None:
        return label
    pivot = choice.route.pivot
    if words is not None:
        in_text = pivot_names if pivot_names is not None else names
        via = ", " + words["via"].format(language=in_text.get(pivot, pivot)) if pivot else ""
        return f"{label} · {words[quality_band(choice.chrf)]}{via}"
    via = f" via {pivot}" if pivot else ""
    score = f"chrF {choice.chrf:.1f}" if choice.chrf is not None else "not measured"
    return f"{label} · {score}{via}"


def target_options(service: Any, *, source: str = "en", names: Mapping[str, str] = NAMES,
                   words: Mapping[str, str] | None = None,
                   pivot_names: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, code) for every language the default engine reaches; with the `auto` engine, each
    label carries the best route's chrF from `source` (or its quality band in `words`); sorted by name."""
    codes = service.models.translation_targets()
    translator = service.translator()
    choices = {c.route.target: c for c in translator.targets(source)} if hasattr(translator, "targets") else {}
    ordered = sorted(codes, key=lambda c: (names.get(c, c), c))
    return [(target_label(c, choices.get(c), names, words=words, pivot_names=pivot_names), c) for c in ordered]


def pivot_texts(notes: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(language, text) of each hop before the last of a chained translation (its `engine_notes` score):
    what the reviewer reads to see where the translation came from (models.routes)."""
    from models.routes import pivot_texts as from_notes

    return from_notes(notes)
