"""Translation engines by name. Each is built on request: nothing loads at import."""

from __future__ import annotations

from collections.abc import Callable

from adapt.errors import UserError
from models.translators.base import Translator, normalise_language


def _bergamot(**options) -> Translator:
    from models.translators.bergamot import BergamotTranslator

    return BergamotTranslator()


ENGINES: dict[str, Callable[..., Translator]] = {
    "bergamot": _bergamot,
}


def get_translator(name: str, **options) -> Translator:
    factory = ENGINES.get(name)
    if factory is None:
        raise UserError(f"unknown translation engine {name!r}", hint=f"choose one of {', '.join(sorted(ENGINES))}")
    return factory(**options)


__all__ = ["ENGINES", "Translator", "get_translator", "normalise_language"]
