"""Educational level from reading grade, and resource type from what the format marked."""

from __future__ import annotations

import pytest

from adapt.document import Segment
from adapt.tagging.levels import estimate_level, level_for_grade, resource_types


@pytest.mark.parametrize(("grade", "code"), [
    (-2.0, "1"), (0.0, "1"), (3.0, "1"), (5.5, "1"), (6.0, "2"), (8.0, "2"), (9.0, "3"), (12.0, "3"),
    (13.0, "6"), (18.0, "6"), (22.0, "6"),
])
def test_levels_grade_bands(grade, code):
    estimate = level_for_grade(grade)
    assert estimate.code == code
    assert 0.5 <= estimate.confidence <= 1.0


def test_levels_estimate_from_text_orders_easy_below_hard():
    easy = estimate_level(["The cat sat on the mat. It was a sunny day. We went out to play."], "en")
    hard = estimate_level([
        "Neurotransmitters, which are released from synaptic vesicles following depolarization of the presynaptic "
        "membrane, subsequently bind to postsynaptic receptors, thereby modulating the excitability of the "
        "postsynaptic neuron through ionotropic and metabotropic mechanisms."], "en")
    assert easy is not None and hard is not None
    assert easy.grade < hard.grade
    assert int(easy.code) < int(hard.code)
    assert hard.code == "6"
    assert estimate_level([""], "en") is None


def _seg(key, kind, context=None):
    return Segment(key=key, kind=kind, text="x", context=context or {})


def test_levels_resource_types_from_format_markers():
    segments = [
        _seg("m1:p1", "paragraph"), _seg("m1:p2", "paragraph"),
        _seg("m1:ex1/problem/para", "paragraph", {"element": "para", "path": "exercise/problem/para"}),
        _seg("m1:ex1/solution/para", "paragraph", {"element": "para", "path": "exercise/solution/para"}),
        _seg("m1:ex2", "exercise"),
        _seg("m1:g1", "definition", {"element": "meaning"}), _seg("m1:g2", "definition"),
        _seg("m1:e1", "example"),  # one example alone is not a type
    ]
    types = {t.type: t for t in resource_types(segments)}
    assert set(types) == {"exercise", "glossary"}
    assert types["exercise"].segments == 3
    assert types["glossary"].segments == 2
    assert types["exercise"].share == pytest.approx(3 / 8)


@pytest.mark.parametrize("kind", ["paragraph", "heading", "list_item", "table_cell", "caption", "contest", "testing"])
def test_levels_resource_types_not_guessed_from_prose(kind):
    # "contest" and "testing" contain no marker as a word
    assert resource_types([_seg(f"k{i}", kind) for i in range(5)]) == []


def test_levels_resource_types_from_section_headings():
    segments = [
        Segment(key="h1", kind="heading", text="Neurons"), _seg("p1", "paragraph"),
        Segment(key="h2", kind="heading", text="Exercise 2.1"), _seg("p2", "paragraph"), _seg("p3", "list_item"),
        Segment(key="h3", kind="heading", text="Key terms"), _seg("p4", "paragraph"), _seg("p5", "paragraph"),
        Segment(key="h4", kind="heading", text="Why the exercise of power matters in politics today"),
        _seg("p6", "paragraph"), _seg("p7", "paragraph"),
    ]
    types = {t.type: t.segments for t in resource_types(segments)}
    assert types == {"exercise": 3, "glossary": 3}
