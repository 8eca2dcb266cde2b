"""The target languages a user can pick, each with the route that reaches it and its measured chrF
(for the review UI's language list and anything else that offers a choice of target)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NAMES = {"pt": "Portuguese", "en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
         "nl": "Dutch", "pl": "Polish", "uk": "Ukrainian", "ca": "Catalan", "gl": "Galician", "eo": "Esperanto",
         "eu": "Basque", "sw": "Swahili"}


def target_label(code: str, choice: Any | None = None, names: Mapping[str, str] = NAMES) -> str:
    """`Spanish (es) · chrF 55.0 via pt` for a route measured on NTREX-128; the name alone without a route."""
    label = f"{names.get(code, code)} ({code})"
    if choice is None:
        return label
    via = f" via {choice.route.pivot}" if choice.route.pivot else ""
    score = f"chrF {choice.chrf:.1f}" if choice.chrf is not None else "not measured"
    return f"{label} · {score}{via}"


def target_options(service: Any, *, source: str = "en", names: Mapping[str, str] = NAMES) -> list[tuple[str, str]]:
    """(label, code) for every language the default engine reaches; with the `auto` engine, each
    label carries the best route's chrF from `source`; sorted by name."""
    codes = service.models.translation_targets()
    translator = service.translator()
    choices = {c.route.target: c for c in translator.targets(source)} if hasattr(translator, "targets") else {}
    ordered = sorted(codes, key=lambda c: (names.get(c, c), c))
    return [(target_label(c, choices.get(c), names), c) for c in ordered]
