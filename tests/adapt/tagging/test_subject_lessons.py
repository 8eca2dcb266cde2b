"""Short school science lessons (our own, tests/fixtures/lessons) get a natural-science or environmental
field (ISCED-F broad field 05) in their top 3, in English and Portuguese; their Portuguese keywords hold
no bare verb. Real e5 (slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapt.tagging.test_keywords_nominal import PT_PARTICIPLES, PT_VERBS

pytestmark = pytest.mark.slow
LESSONS = Path(__file__).resolve().parents[2] / "fixtures" / "lessons"


def _lesson(name: str) -> tuple[str, list[str]]:
    title, body = (LESSONS / name).read_text(encoding="utf-8").split("\n", 1)
    return title.strip("# "), [p for p in body.split("\n\n") if p.strip()]


@pytest.mark.parametrize("name", ["water-cycle.en.md", "water-cycle.pt.md", "weather.en.md", "plantas.pt.md"])
def test_subject_lessons_science_field_in_top_3(e5_tagger, name):
    title, texts = _lesson(name)
    tags = e5_tagger.tag_texts(texts, title=title).subjects
    assert [t.rank for t in tags] == [1, 2, 3]
    assert tags[0].score >= tags[1].score >= tags[2].score, "ranked by score, best first"
    assert any(t.broad == "05" for t in tags), [t.text for t in tags]


@pytest.mark.parametrize("name", ["water-cycle.en.md", "water-cycle.pt.md"])
def test_subject_lessons_water_cycle_is_environment_or_earth_science(e5_tagger, name):
    title, texts = _lesson(name)
    codes = [t.code for t in e5_tagger.tag_texts(texts, title=title).subjects]
    assert {"0521", "0532"} & set(codes[:2]), codes


@pytest.mark.parametrize("name", ["water-cycle.pt.md", "plantas.pt.md"])
def test_subject_lessons_portuguese_keywords_are_not_verbs(e5_tagger, name):
    title, texts = _lesson(name)
    keywords = e5_tagger.tag_texts(texts, title=title, language="pt").keywords
    assert len(keywords) >= 5
    for k in keywords:
        words = k.text.lower().split()
        assert not (len(words) == 1 and words[0] in PT_VERBS | PT_PARTICIPLES), k.text
        assert not any(w in PT_VERBS for w in words), k.text
