"""Reading grades for the evaluation, from `adapt.readability` (the simplification work owns the
formulas: textstat + pyphen, English syllables from CMUdict counts shipped in adapt/data). One place, so the
evaluation's FKGL and the simplifier's guard always agree."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache


def _grade_level():
    try:
        from adapt.readability import grade_level
    except ImportError:
        from adapt.errors import MissingModel

        raise MissingModel(
            "reading grades need adapt.readability, which this checkout does not have yet",
            hint="update OER Adapt (the simplification feature adds it), or leave FKGL out with --metric",
        ) from None
    return grade_level


@cache
def implementation() -> str:
    """What computes the grades, for a metric's signature: the module and its English syllable table."""
    try:
        from adapt.readability import SYLLABLE_TABLE
    except ImportError:
        return "missing"
    import hashlib

    return f"adapt.readability+syllables:{hashlib.sha256(SYLLABLE_TABLE.read_bytes()).hexdigest()[:12]}"


def grade_levels(texts: Sequence[str], language: str = "en") -> list[float]:
    grade = _grade_level()
    return [float(grade(text, language)) if text.strip() else 0.0 for text in texts]
