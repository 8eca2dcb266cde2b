"""The translator interface: segments in, translations out, in batches.

Texts carry the placeholders of `adapt.document` (`[3]`, `[4]...[/4]`); a translator passes them
through as well as its model allows, and QA checks what came back. Backends load lazily, once per
process, and report a signature stored with every suggestion.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from models.signature import ModelSignature


@runtime_checkable
class Translator(Protocol):
    name: str

    def pairs(self) -> list[tuple[str, str]]:
        """The (source, target) language pairs this translator can do now, offline."""

    def supports(self, source: str, target: str) -> bool:
        """True if it can translate from `source` to `target`."""

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """Translate a batch; the result has one string per input, in order."""

    def signature(self, source: str, target: str) -> ModelSignature:
        """What produced the translations for this pair."""


def normalise_language(code: str) -> str:
    """'pt-BR' -> 'pt', 'EN' -> 'en', 'por' -> 'pt': the engines here know languages, not regions
    (adapt.languages.primary; a value that is no tag keeps its first subtag, lower case)."""
    from adapt.languages import InvalidLanguage, primary

    try:
        return primary(code)
    except InvalidLanguage:
        return code.strip().replace("_", "-").split("-")[0].lower()
