"""Translation engines by name. Each is built on request: nothing loads at import.

A factory takes keyword options: `settings` (the service's Settings, for folders), `model` (a model
path or id, for engines that take one) and engine-specific ones. Unknown options are refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapt.errors import UserError
from models.translators.base import Translator, normalise_language


def _no_model(engine: str, model: Any) -> None:
    if model:
        raise UserError(f"the {engine} engine does not take --model", hint="drop --model or use --engine transformers")


def _bergamot(*, settings: Any = None, model: str | None = None, **options: Any) -> Translator:
    from models.translators.bergamot import BergamotTranslator

    _no_model("bergamot", model)
    return BergamotTranslator(**options)


def _argos(*, settings: Any = None, model: str | None = None, **options: Any) -> Translator:
    from adapt.settings import Settings
    from models.translators.argos import ArgosTranslator

    _no_model("argos", model)
    data_dir = options.pop("data_dir", None) or (settings or Settings.from_env()).data_dir
    return ArgosTranslator(data_dir=data_dir, **options)


def _apertium(*, settings: Any = None, model: str | None = None, **options: Any) -> Translator:
    from models.translators.apertium import ApertiumTranslator

    _no_model("apertium", model)
    return ApertiumTranslator(**options)


def _transformers(*, settings: Any = None, model: str | None = None, **options: Any) -> Translator:
    from models.translators.hf import TransformersTranslator

    if not model:
        raise UserError("the transformers engine needs a model",
                        hint="pass --model PATH_OR_ID (see `adapt models list`)")
    return TransformersTranslator(model, **options)


def _auto(*, settings: Any = None, model: str | None = None, **options: Any) -> Translator:
    from adapt.settings import Settings
    from models.translators.route import RouteTranslator

    _no_model("auto", model)
    data_dir = options.pop("data_dir", None) or (settings or Settings.from_env()).data_dir
    return RouteTranslator.for_data_dir(data_dir, **options)


ENGINES: dict[str, Callable[..., Translator]] = {
    "auto": _auto,  # the best measured route over the engines installed here (models.routes)
    "bergamot": _bergamot,
    "argos": _argos,
    "apertium": _apertium,
    "transformers": _transformers,
}


def get_translator(name: str, **options: Any) -> Translator:
    factory = ENGINES.get(name)
    if factory is None:
        raise UserError(f"unknown translation engine {name!r}", hint=f"choose one of {', '.join(sorted(ENGINES))}")
    try:
        return factory(**options)
    except TypeError as exc:
        raise UserError(f"the {name} engine does not take these options: {exc}") from None


__all__ = ["ENGINES", "Translator", "get_translator", "normalise_language"]
