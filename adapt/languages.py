"""Language tags: the one place that parses, normalises and compares them (BCP 47, RFC 5646).

Every entry point (CLI options, the service, the UI, glossary/TMX/TBX import, catalogue records, stored
rows read back) turns what it was given into the canonical form with `normalise`; inside, code compares
canonical tags only. Look-ups that should serve a language's regional variants (a glossary entry for
`pt` applies to a run into `pt-BR`) rank candidates with `match_rank`.

Canonical form: language subtag lower case, with the ISO 639-2/3 codes that have a two-letter code
mapped to it (`por` → `pt`); script title case (`Latn`); region upper case (`BR`, `419`); other subtags
lower case; `_` read as `-`. `und` (undetermined) is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from adapt.errors import InvalidLanguage

# ISO 639-2/B, 639-2/T and 639-3 codes of the languages a teacher is likely to name, mapped to ISO 639-1.
# BCP 47 requires the shortest code, so "por-BR" and "pt-BR" are one language.
_THREE_TO_TWO = {
    "afr": "af", "amh": "am", "ara": "ar", "arb": "ar", "aze": "az", "bel": "be", "ben": "bn", "bos": "bs",
    "bul": "bg", "cat": "ca", "ces": "cs", "cze": "cs", "cym": "cy", "wel": "cy", "dan": "da", "deu": "de",
    "ger": "de", "ell": "el", "gre": "el", "eng": "en", "epo": "eo", "est": "et", "eus": "eu", "baq": "eu",
    "fas": "fa", "per": "fa", "pes": "fa", "fin": "fi", "fra": "fr", "fre": "fr", "gle": "ga", "glg": "gl",
    "guj": "gu", "hau": "ha", "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu", "hye": "hy", "arm": "hy",
    "ibo": "ig", "ind": "id", "isl": "is", "ice": "is", "ita": "it", "jpn": "ja", "kat": "ka", "geo": "ka",
    "kaz": "kk", "khm": "km", "kan": "kn", "kor": "ko", "kir": "ky", "lao": "lo", "lit": "lt", "lav": "lv",
    "mkd": "mk", "mac": "mk", "mal": "ml", "mon": "mn", "mar": "mr", "msa": "ms", "may": "ms", "zsm": "ms",
    "mlt": "mt", "mya": "my", "bur": "my", "nep": "ne", "nld": "nl", "dut": "nl", "nor": "no", "nob": "nb",
    "nno": "nn", "pan": "pa", "pol": "pl", "pus": "ps", "por": "pt", "ron": "ro", "rum": "ro", "rus": "ru",
    "sin": "si", "slk": "sk", "slo": "sk", "slv": "sl", "som": "so", "sqi": "sq", "alb": "sq", "srp": "sr",
    "swe": "sv", "swa": "sw", "swh": "sw", "tam": "ta", "tel": "te", "tha": "th", "tur": "tr", "ukr": "uk",
    "urd": "ur", "uzb": "uz", "vie": "vi", "xho": "xh", "yor": "yo", "zho": "zh", "chi": "zh", "cmn": "zh",
    "zul": "zu", "spa": "es", "tgl": "tl", "fil": "tl",
}

# language[-extlang]{0,3}[-script][-region][-variant]*[-extension]*[-privateuse] (RFC 5646 §2.1),
# plus the private-use and grandfathered "x-..." / "i-..." forms, which we keep as they are.
_TAG_RE = re.compile(
    r"^(?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|\d{3}))?"
    r"(?P<rest>(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?)$"
)
_PRIVATE_RE = re.compile(r"^[xi](?:-[a-z\d]{1,8})+$")
MAX_TAG_CHARS = 64

__all__ = ["InvalidLanguage", "best_match", "is_language", "match_rank", "normalise", "parse", "primary",
           "same_language", "try_normalise"]


def parse(value: str) -> str:
    """`value` in canonical form, or InvalidLanguage saying what a tag looks like."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TAG_CHARS:
        raise InvalidLanguage(f"{value!r} is not a language code",
                              hint="give a BCP 47 language tag such as en, pt or pt-BR")
    raw = value.strip().replace("_", "-").lower()
    if _PRIVATE_RE.match(raw):
        return raw
    match = _TAG_RE.match(raw)
    if match is None:
        raise InvalidLanguage(f"{value!r} is not a language code",
                              hint="give a BCP 47 language tag such as en, pt or pt-BR")
    language = match["language"]
    first, _, ext = language.partition("-")
    language = _THREE_TO_TWO.get(first, first) + (f"-{ext}" if ext else "")
    parts = [language]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    if match["rest"]:
        parts.append(match["rest"].lstrip("-"))
    return "-".join(parts)


def normalise(value: str | None) -> str | None:
    """`parse`, letting None and "" through as None (a language not stated)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse(value)


def try_normalise(value: str | None) -> str | None:
    """The canonical tag, or the value as it was when it is not a tag (for reading old stored rows,
    which must keep working whatever they hold)."""
    try:
        return normalise(value)
    except InvalidLanguage:
        return value


def is_language(value: str) -> bool:
    try:
        parse(value)
    except InvalidLanguage:
        return False
    return True


def primary(tag: str) -> str:
    """The language subtag: 'pt-BR' -> 'pt', 'zh-Hant-TW' -> 'zh'. Engines know languages, not regions."""
    return parse(tag).split("-")[0]


def subtags(tag: str) -> list[str]:
    return parse(tag).split("-")


def match_rank(entry: str, wanted: str) -> int | None:
    """How well a resource in language `entry` serves a request for `wanted` (lower is better):
    0 the same tag; 1 `entry` is more general (`pt` serves `pt-BR`); 2 `entry` is more specific
    (`pt-BR` serves `pt`, used only when nothing better exists); None for another language or a
    sibling variant (`pt-PT` does not serve `pt-BR`)."""
    a, b = subtags(entry), subtags(wanted)
    if a == b:
        return 0
    if a[0] != b[0]:
        return None
    if b[: len(a)] == a:
        return 1
    if a[: len(b)] == b:
        return 2
    return None


def best_match(candidates: Iterable[str], wanted: str) -> str | None:
    """The candidate tag that serves `wanted` best (see `match_rank`), or None."""
    ranked = [(rank, tag) for tag in candidates if (rank := match_rank(tag, wanted)) is not None]
    return min(ranked)[1] if ranked else None


def same_language(a: str | None, b: str | None) -> bool:
    """Do two tags name the same language, whatever the region ('pt' and 'pt-BR' do)."""
    if not a or not b:
        return False
    try:
        return primary(a) == primary(b)
    except InvalidLanguage:
        return a == b
