"""Attribute segments nested in another segment: an inline image's alt text inside a paragraph.

The paragraph keeps the image as an atom placeholder (its raw source, alt attribute included), and the
alt text is a segment of its own whose span lies inside the paragraph's span. Rendering cannot splice
both (the spans overlap), so when the paragraph is replaced too, the alt text's new value is written
into the image placeholder's raw source first and the paragraph is restored with it; when only the
alt text is replaced, it is spliced at its own span as any attribute segment.

A nested segment's context says where it sits: `nested = {"parent": key, "placeholder": N,
"start": S, "end": E}`, S and E being offsets in placeholder N's raw source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from adapt.document import Segment, splice
from adapt.formats.base import RenderPlan

NESTED = "nested"


def nested_context(parent_key: str, placeholder: int, start: int, end: int) -> dict[str, Any]:
    return {"parent": parent_key, "placeholder": placeholder, "start": start, "end": end}


def nested_in(seg: Segment) -> Mapping[str, Any] | None:
    value = seg.context.get(NESTED)
    return value if isinstance(value, Mapping) else None


def fold_nested(
    segments: Iterable[Segment], plan: RenderPlan, value_of: Callable[[Segment, str], str]
) -> list[Segment]:
    """The segments to splice: nested ones whose parent is replaced are folded into its placeholders.

    `value_of(segment, new_text)` is the source text the format writes for a replaced segment (restored,
    escaped, marked unreviewed where it is).
    """
    segments = list(segments)
    edits: dict[str, dict[int, list[tuple[tuple[int, int], str]]]] = {}
    folded: set[str] = set()
    for seg in segments:
        where = nested_in(seg)
        new = plan.replacements.get(seg.key)
        if where is None or new is None or where["parent"] not in plan.replacements:
            continue
        span = (int(where["start"]), int(where["end"]))
        edits.setdefault(where["parent"], {}).setdefault(int(where["placeholder"]), []).append(
            (span, value_of(seg, new)))
        folded.add(seg.key)
    if not edits:
        return segments
    out: list[Segment] = []
    for seg in segments:
        if seg.key in folded:
            continue
        if seg.key in edits:
            by_number = edits[seg.key]
            phs = tuple(replace(ph, raw=splice(ph.raw, by_number[ph.number])) if ph.number in by_number else ph
                        for ph in seg.placeholders)
            seg = replace(seg, placeholders=phs)
        out.append(seg)
    return out
