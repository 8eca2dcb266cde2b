"""QA checks run on every suggestion. A failing check becomes a flag the reviewer sees; nothing is dropped.

Each check is a small function `(QAInput) -> list[Flag]`, listed in CHECKS by name. Steps may pass
extra checks (a glossary, a readability target) through `run_checks(..., extra=[...])`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapt.document import PLACEHOLDER_RE
from adapt.segmenting import URL_RE

NUMBER_RE = re.compile(r"(?<![\w\[/])\d+(?:[.,\u202f\u00a0 ]\d{3})*(?:[.,]\d+)?(?![\w\]])")


@dataclass(frozen=True)
class Flag:
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class QAInput:
    source: str  # with placeholders
    output: str  # with placeholders
    task: str = "translate"
    source_language: str | None = None
    target_language: str | None = None
    pair_numbers: frozenset[int] = frozenset()  # placeholders that are pairs ([N]...[/N])
    details: dict[str, Any] = field(default_factory=dict)


Check = Callable[[QAInput], list[Flag]]


def _placeholders(text: str) -> Counter[str]:
    return Counter(m.group(0) for m in PLACEHOLDER_RE.finditer(text))


def check_placeholders(qa: QAInput) -> list[Flag]:
    want, got = _placeholders(qa.source), _placeholders(qa.output)
    flags = []
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    if missing:
        flags.append(Flag("placeholder-missing",
                          f"markup lost: {' '.join(missing)} (formatting, code, math or a link)"))
    if extra:
        flags.append(Flag("placeholder-extra", f"markup the source does not have: {' '.join(extra)}"))
    for number in qa.pair_numbers:
        opener, closer = qa.output.find(f"[{number}]"), qa.output.find(f"[/{number}]")
        if opener >= 0 and closer >= 0 and closer < opener:
            flags.append(Flag("placeholder-order", f"[{number}] and [/{number}] are out of order"))
    return flags


def _numbers(text: str) -> Counter[str]:
    plain = PLACEHOLDER_RE.sub(" ", text)
    return Counter(re.sub(r"\D", "", n) for n in NUMBER_RE.findall(plain))


def check_numbers(qa: QAInput) -> list[Flag]:
    want, got = _numbers(qa.source), _numbers(qa.output)
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    flags = []
    if missing:
        flags.append(Flag("number-missing", f"numbers in the source but not here: {', '.join(missing)}"))
    if extra and qa.task == "translate":
        flags.append(Flag("number-extra", f"numbers here but not in the source: {', '.join(extra)}"))
    return flags


def check_urls(qa: QAInput) -> list[Flag]:
    want = set(URL_RE.findall(PLACEHOLDER_RE.sub(" ", qa.source)))
    got = set(URL_RE.findall(PLACEHOLDER_RE.sub(" ", qa.output)))
    missing = sorted(want - got)
    return [Flag("url-changed", f"links changed or lost: {', '.join(missing)}")] if missing else []


def check_length(qa: QAInput) -> list[Flag]:
    src, out = PLACEHOLDER_RE.sub("", qa.source).strip(), PLACEHOLDER_RE.sub("", qa.output).strip()
    if not out and src:
        return [Flag("empty", "the model returned nothing")]
    if len(src) < 20:
        return []
    ratio = len(out) / len(src)
    low, high = (0.5, 2.2) if qa.task == "translate" else (0.2, 1.5)
    if ratio < low:
        return [Flag("too-short", f"{ratio:.0%} of the source's length: something may be missing")]
    if ratio > high:
        return [Flag("too-long", f"{ratio:.0%} of the source's length: something may be repeated or invented")]
    return []


def check_untranslated(qa: QAInput) -> list[Flag]:
    if qa.task != "translate" or qa.source_language == qa.target_language:
        return []
    words = re.findall(r"[^\W\d_]{3,}", PLACEHOLDER_RE.sub(" ", qa.source))
    if len(words) >= 3 and qa.output.strip() == qa.source.strip():
        return [Flag("untranslated", "the output is the source unchanged")]
    return []


def check_repetition(qa: QAInput) -> list[Flag]:
    words = PLACEHOLDER_RE.sub(" ", qa.output).lower().split()
    for size in range(1, 7):
        for i in range(len(words) - size * 4 + 1):
            chunk = words[i : i + size]
            if all(words[i + k * size : i + (k + 1) * size] == chunk for k in range(1, 4)):
                return [Flag("repetition", f"'{' '.join(chunk)}' repeats 4 times: a model loop")]
    return []


def check_markup(qa: QAInput) -> list[Flag]:
    """Pairs emptied (their words moved outside), crossed or re-nested: adapt.markup_qa. Lost and
    duplicated markup is flagged by check_placeholders."""
    from adapt.markup_qa import CROSSED, EMPTIED, NESTING, analyse

    codes = {EMPTIED: "markup-emptied", CROSSED: "markup-crossed", NESTING: "markup-crossed"}
    return [Flag(codes[p.code], p.describe()) for p in analyse(qa.source, qa.output) if p.code in codes]


CHECKS: dict[str, Check] = {
    "placeholders": check_placeholders,
    "markup": check_markup,
    "numbers": check_numbers,
    "urls": check_urls,
    "length": check_length,
    "untranslated": check_untranslated,
    "repetition": check_repetition,
}


def run_checks(qa: QAInput, *, extra: Iterable[Check] = (), skip: Sequence[str] = ()) -> list[Flag]:
    flags: list[Flag] = []
    for name, check in CHECKS.items():
        if name not in skip:
            flags.extend(check(qa))
    for check in extra:
        flags.extend(check(qa))
    return flags


def pair_numbers(placeholders: Iterable[dict[str, Any]] | Iterable[Any]) -> frozenset[int]:
    numbers = set()
    for ph in placeholders:
        kind = ph["kind"] if isinstance(ph, dict) else ph.kind
        number = ph["n"] if isinstance(ph, dict) else ph.number
        if kind == "pair":
            numbers.add(int(number))
    return frozenset(numbers)
