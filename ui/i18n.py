"""The review UI in the teacher's language: `t(key, **kw)` looks a string up in ui.strings.STRINGS in the
language of the current request.

The language is picked per request (ui.app's `who(request)` calls `use_request`) from, in order: `?lang=`
in the page's address, the cookie the language menu sets (COOKIE, written by ui.page_language), the
browser's Accept-Language, then English. It lives in a context variable, so that each callback (each runs
in its own copied context) renders in its own reader's language without passing it everywhere.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from ui.strings import LANGUAGE_NAMES, MONTHS, STRINGS

LANGUAGES = ("en", "pt", "es")  # those the string table covers; the first is the default
DEFAULT = LANGUAGES[0]
COOKIE = "adapt-lang"
MENU_NAMES = {"en": "English", "pt": "Português", "es": "Español"}  # each in its own language

_current: ContextVar[str] = ContextVar("ui_language", default=DEFAULT)


def supported(code: Any) -> str | None:
    """`pt-BR` -> `pt`; None when the string table does not cover that language."""
    base = str(code or "").strip().split("-")[0].split("_")[0].casefold()
    return base if base in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The first language of an Accept-Language header (by q value, then order) that the table covers."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(str(header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        code = supported(tag)
        if code and q > 0:
            ranked.append((-q, i, code))
    return min(ranked)[2] if ranked else None


def choose(query: Any = None, cookie: Any = None, accept_language: str | None = None) -> str:
    """`?lang=` > the menu's cookie > Accept-Language > English."""
    return supported(query) or supported(cookie) or from_accept_language(accept_language) or DEFAULT


def for_request(request: Any) -> str:
    """The language of a gr.Request (or a Starlette request): its query, cookie and Accept-Language."""
    if request is None:
        return DEFAULT
    query = (getattr(request, "query_params", None) or {}).get("lang")
    cookies = getattr(request, "cookies", None) or {}
    headers = getattr(request, "headers", None) or {}
    return choose(query, cookies.get(COOKIE), headers.get("accept-language"))


def use(language: str) -> None:
    """Render what follows (in this context) in `language`."""
    _current.set(supported(language) or DEFAULT)


def use_request(request: Any) -> str:
    language = for_request(request)
    use(language)
    return language


def current() -> str:
    return _current.get()


def t(key: str, **kw: Any) -> str:
    """The string `key` in the current language, formatted with `kw`. An unknown key is a bug: KeyError."""
    entry = STRINGS[key]
    text = entry.get(current()) or entry[DEFAULT]
    return text.format(**kw) if kw else text


def tn(key: str, n: int, **kw: Any) -> str:
    """`key.one` when n is 1, else `key.many`, formatted with n and `kw`."""
    return t(f"{key}.{'one' if n == 1 else 'many'}", n=n, **kw)


def language_name(code: Any) -> str:
    """A language named in words in the UI's language ("Portuguese", "português"); the code if unknown."""
    names = LANGUAGE_NAMES.get(current()) or LANGUAGE_NAMES[DEFAULT]
    return names.get(str(code), LANGUAGE_NAMES[DEFAULT].get(str(code), str(code)))


def when(iso: Any) -> str:
    """An ISO timestamp as people write it, in UTC: "5 Dec 2026, 08:14 UTC" ("5 dez 2026, 08:14 UTC")."""
    text = str(iso or "")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    month = MONTHS.get(current(), MONTHS[DEFAULT])[moment.month - 1]
    return f"{moment.day} {month} {moment.year}, {moment:%H:%M} UTC"
