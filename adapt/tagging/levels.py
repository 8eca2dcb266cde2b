"""Educational level and learning resource type: two small, explainable estimates.

Educational level comes from reading difficulty (adapt.readability): a text's grade says how hard it
is to read, which is only a proxy for who it is for (a simple text can be a university glossary).
That is why it is a suggestion with its evidence, never a fact. Levels are ISCED 2011 levels.

Learning resource type comes only from what the format says: segments whose kind, key or format
context name an exercise, a glossary, an example, a quiz... No guessing from the prose.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from adapt.readability import document_readability

# (highest US grade read comfortably, ISCED 2011 level code, name) in order.
LEVELS: tuple[tuple[float, str, str], ...] = (
    (5.5, "1", "Primary education"),
    (8.5, "2", "Lower secondary education"),
    (12.5, "3", "Upper secondary education"),
    (99.0, "6", "Bachelor's or equivalent level"),
)
LEVEL_SCHEME = "ISCED 2011 levels of education"
# Words in a segment's kind / key / context that mean the format marked a resource type, and the LRMI
# learningResourceType each gives.
RESOURCE_MARKERS: dict[str, str] = {
    "exercise": "exercise", "problem": "exercise", "solution": "exercise", "practice": "exercise",
    "quiz": "assessment", "assessment": "assessment", "question": "assessment",
    "glossary": "glossary", "definition": "glossary", "meaning": "glossary",
    "example": "example",
}
MIN_SEGMENTS = 2  # one stray marked segment does not make a type


@dataclass(frozen=True)
class LevelEstimate:
    code: str  # ISCED 2011 level
    name: str
    grade: float  # the document's US reading grade, the evidence
    confidence: float  # 0..1: how far the grade sits from the band's edges
    formula: str

    @property
    def text(self) -> str:
        return self.name

    def to_json(self) -> dict:
        return {"level": self.code, "name": self.name, "grade": round(self.grade, 2),
                "confidence": round(self.confidence, 3), "formula": self.formula}


@dataclass(frozen=True)
class ResourceType:
    type: str  # an LRMI learningResourceType value
    share: float  # share of the document's segments the format marked so
    segments: int
    evidence: tuple[str, ...]  # the markers that said so

    def to_json(self) -> dict:
        return {"type": self.type, "share": round(self.share, 4), "segments": self.segments,
                "evidence": list(self.evidence)}


def estimate_level(texts: Sequence[str], language: str = "en") -> LevelEstimate | None:
    stats = document_readability(texts, language)
    if stats.words == 0:
        return None
    return level_for_grade(stats.grade, formula=stats.grade_formula)


def level_for_grade(grade: float, *, formula: str = "") -> LevelEstimate:
    low = 0.0
    for high, code, name in LEVELS:
        if grade <= high:
            # 1 in the middle of the band, falling toward 0.5 at its edges (the neighbours are as likely).
            width = (high - low) if high < 99 else 4.0
            distance = min(grade - low, high - grade) if high < 99 else min(grade - low, width)
            confidence = 0.5 + 0.5 * max(0.0, min(1.0, distance / (width / 2)))
            return LevelEstimate(code, name, grade, confidence, formula)
        low = high
    raise AssertionError("unreachable: the last band is open")


def resource_types(segments: Sequence[object]) -> list[ResourceType]:
    """Types the format marked, most frequent first. `segments` are Segments or SegmentRecords."""
    counts: Counter[str] = Counter()
    evidence: dict[str, set[str]] = {}
    total = 0
    section: set[str] = set()  # markers named by the heading the segment sits under
    for seg in segments:
        total += 1
        found = _markers(seg)
        if getattr(seg, "kind", "") in ("heading", "title"):
            section = _heading_markers(seg)
            found |= section
        else:
            found |= section
        for marker in found:
            kind = RESOURCE_MARKERS[marker]
            evidence.setdefault(kind, set()).add(marker)
        for kind in {RESOURCE_MARKERS[m] for m in found}:
            counts[kind] += 1
    return [ResourceType(kind, n / total, n, tuple(sorted(evidence[kind])))
            for kind, n in counts.most_common() if n >= MIN_SEGMENTS]


def _markers(seg: object) -> set[str]:
    words: list[str] = [str(getattr(seg, "kind", "") or "")]
    words.append(str(getattr(seg, "key", "") or ""))
    context = getattr(seg, "context", None) or {}
    words += [str(v) for k, v in context.items() if k in ("element", "path", "class", "type", "parent", "ancestors")]
    haystack = " ".join(words).lower()
    return {marker for marker in RESOURCE_MARKERS if _has_word(haystack, marker)}


# Section headings that say what follows, in formats whose only structure is headings (Markdown, HTML);
# each names a marker of RESOURCE_MARKERS.
HEADING_MARKERS: dict[str, str] = {
    "exercise": "exercise", "exercises": "exercise", "practice": "exercise", "problems": "exercise",
    "quiz": "quiz", "review questions": "question", "questions": "question", "self-check": "assessment",
    "glossary": "glossary", "key terms": "glossary", "vocabulary": "glossary", "example": "example",
    "examples": "example",
}


def _heading_markers(seg: object) -> set[str]:
    """The marker a short heading names ("Exercise", "Key terms", "Exercise 2.1"), else nothing."""
    text = (getattr(seg, "text", "") or "").lower()
    text = re.sub(r"\[/?\d+\]|[^\w\s-]", " ", text)
    words = re.sub(r"\d+", " ", text).split()
    if not words or len(words) > 4:
        return set()
    joined = " ".join(words)
    return {HEADING_MARKERS[h] for h in HEADING_MARKERS if re.search(rf"(?<![\w-]){re.escape(h)}(?![\w-])", joined)}


def _has_word(haystack: str, word: str) -> bool:
    return re.search(rf"(?<![a-z]){word}s?(?![a-z])", haystack) is not None
