"""Is this text a language? The check on the Language tag a reviewer edits.

Syntax and canonical form come from `adapt.languages.parse` (BCP 47, RFC 5646; "por-BR" → "pt-BR").
A reviewer's edit must also name a language, which syntax alone does not ensure ("Ciencias" and
"english" are well-formed 5-8 letter subtags): a two-letter primary language must be an ISO 639-1 code,
the 4-8 letter forms are refused (IANA has registered none), three-letter codes are accepted on syntax
alone (the ~7,900 ISO 639-3 codes are not shipped), and a variant or extension may not repeat.
"""

from __future__ import annotations

import re

from adapt import languages
from adapt.errors import InvalidDecision, InvalidLanguage

# ISO 639-1 (the two-letter codes), as in the IANA language subtag registry.
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el
en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik in io is it
iu iw ja ji jv jw ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo
mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh
si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh
yi yo za zh zu
""".split())

_GRANDFATHERED = frozenset(s.lower() for s in """
en-GB-oed i-ami i-bnn i-default i-enochian i-hak i-klingon i-lux i-mingo i-navajo i-pwn i-tao i-tay i-tsu
sgn-BE-FR sgn-BE-NL sgn-CH-DE art-lojban cel-gaulish no-bok no-nyn zh-guoyu zh-hakka zh-min zh-min-nan
zh-xiang
""".split())

_LANGTAG = re.compile(
    r"^(?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)"
    r"(?P<extensions>(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*)"
    r"(?:-(?P<private>x(?:-[a-z0-9]{1,8})+))?$"
)
_PRIVATE = re.compile(r"^x(?:-[a-z0-9]{1,8})+$")


class LanguageTagError(InvalidDecision):
    """The text is not a BCP 47 language tag."""


def check_language_tag(text: str) -> str:
    """The tag in canonical form (`pt-BR`, `zh-Hant-TW`), or LanguageTagError saying what to type."""
    raw = text.strip().replace("_", "-")
    low = raw.lower()
    problem = None
    canonical = ""
    if low in _GRANDFATHERED or _PRIVATE.match(low):
        return raw
    try:
        canonical = languages.parse(raw) if raw.isascii() else ""
    except InvalidLanguage:
        canonical = ""
    match = _LANGTAG.match(low) if canonical else None
    if match is None:
        problem = "is not a BCP 47 language tag"
    else:
        primary = canonical.split("-")[0]
        if len(primary) == 2 and primary not in ISO_639_1:
            problem = f"starts with {primary!r}, which is not an ISO 639-1 language code"
        elif len(primary) >= 4:
            problem = "does not start with a two- or three-letter language code"
        elif _repeats(low):
            problem = "repeats a variant or an extension"
    if problem:
        raise LanguageTagError(
            f"{text.strip()!r} {problem}",
            hint="type a language tag such as en, pt, pt-BR or es-419; subjects and keywords are separate tags",
        )
    return canonical


def is_language_tag(text: str) -> bool:
    try:
        check_language_tag(text)
    except LanguageTagError:
        return False
    return True


def _repeats(tag: str) -> bool:
    """RFC 5646 2.2.5/2.2.6: a variant or an extension singleton appears at most once."""
    parts = tag.split("-x-")[0].split("-")[1:]
    variants = [p for p in parts if len(p) >= 5 or (len(p) == 4 and p[0].isdigit())]
    singletons = [p for p in parts if len(p) == 1]
    return len(set(variants)) != len(variants) or len(set(singletons)) != len(singletons)
