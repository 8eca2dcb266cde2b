"""Shared helpers for the licence and attribution tests: a small fake translator (these tests are about
the guard and the statements, not the model) and resources built from real files in a real store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from models.signature import ModelSignature


class FakeTranslator:
    """Translator protocol, deterministic: 'pt: ' + text (placeholders kept)."""

    name = "fake"

    def pairs(self) -> list[tuple[str, str]]:
        return [("en", "pt")]

    def supports(self, source: str, target: str) -> bool:
        return (source, target) == ("en", "pt")

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        return [f"pt: {t}" for t in texts]

    def signature(self, source: str, target: str) -> ModelSignature:
        return ModelSignature("fake", f"fake-{source}-{target}", "1.0")


def install_fake(service) -> FakeTranslator:
    fake = FakeTranslator()
    service.engines.use_translator(fake)
    return fake


LESSON = """# Photosynthesis

Plants turn light into chemical energy.

Leaves hold chlorophyll, which absorbs red and blue light.

- Water comes in through the roots.
- Oxygen leaves through the stomata.
"""


def write_lesson(folder: Path, name: str = "lesson.md", footer: str = "") -> Path:
    path = folder / name
    path.write_text(LESSON + (f"\n{footer}\n" if footer else ""), encoding="utf-8")
    return path
