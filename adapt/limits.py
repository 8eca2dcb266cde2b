"""Input limits: how big and how deep a file may be before we refuse it (hostile or broken input).

Every reader checks these while it parses, so a hostile file stops early with a message that names
the limit and the setting that raises it (exit 1), instead of exhausting memory or the stack.
The values are settings (adapt/settings.py, environment variables); `read_document` applies the
same checks once more to every Document, so no reader can slip past them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from adapt.errors import InputError


class LimitExceeded(InputError):
    """A file breaks one of the input limits; nothing was stored."""


@dataclass(frozen=True)
class InputLimits:
    max_segment_chars: int = 20_000
    max_depth: int = 256
    max_segments: int = 50_000
    max_inline: int = 1_000
    max_attribute_chars: int = 1_048_576

    @classmethod
    def from_settings(cls, settings) -> InputLimits:
        return cls(**{name: getattr(settings, name) for name in DESCRIPTIONS})


# The limit's field -> (what it counts, the environment variable that raises it).
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "max_segment_chars": ("characters in one segment", "ADAPT_MAX_SEGMENT_CHARS"),
    "max_depth": ("levels of nested elements", "ADAPT_MAX_DEPTH"),
    "max_segments": ("segments in one resource", "ADAPT_MAX_SEGMENTS"),
    "max_inline": ("inline elements in one segment", "ADAPT_MAX_INLINE"),
    "max_attribute_chars": ("characters in one attribute value", "ADAPT_MAX_ATTRIBUTE_CHARS"),
}

_ACTIVE: ContextVar[InputLimits | None] = ContextVar("adapt_input_limits", default=None)


def current() -> InputLimits:
    """The limits in force: those set with `using`, else the settings from the environment."""
    active = _ACTIVE.get()
    if active is not None:
        return active
    from adapt.settings import Settings

    return InputLimits.from_settings(Settings.from_env())


@contextmanager
def using(limits: InputLimits) -> Iterator[InputLimits]:
    """Apply `limits` to every read inside the block (the service, tests)."""
    token = _ACTIVE.set(limits)
    try:
        yield limits
    finally:
        _ACTIVE.reset(token)


def breach(field_name: str, found: int | str, where: str, limits: InputLimits | None = None) -> LimitExceeded:
    """The error for a file over a limit: which limit, its value, and how to raise it."""
    what, env = DESCRIPTIONS[field_name]
    value = getattr(limits or current(), field_name)
    return LimitExceeded(
        f"{where}: more than {value:,} {what} ({found}); limit {field_name} = {value:,}",
        hint=f"split or simplify the file, or raise the limit with {env}=N if the file is genuine",
    )


def check(field_name: str, count: int, where: str, limits: InputLimits | None = None) -> None:
    """Raise `LimitExceeded` when `count` is over the named limit."""
    value = getattr(limits or current(), field_name)
    if count > value:
        raise breach(field_name, f"{count:,}" if field_name != "max_depth" else f"at least {count:,}", where, limits)


def check_document(doc, limits: InputLimits | None = None) -> None:
    """Apply the per-segment and per-resource limits to a parsed Document (the readers' safety net)."""
    limits = limits or current()
    name = doc.source_name
    check("max_segments", len(doc.segments), name, limits)
    for seg in doc.segments:
        check("max_segment_chars", len(seg.text), f"{name} segment {seg.key}", limits)
        check("max_inline", len(seg.placeholders), f"{name} segment {seg.key}", limits)
