"""What a licence is and how to recognise one from a URL, an SPDX id or a name.

A `License` is a value: an SPDX-like id (CC-BY-4.0, CC-BY-SA-3.0-US, CC0-1.0, PDM-1.0, ARR, UNKNOWN),
a canonical URL where one exists, and the four Creative Commons elements that decide what may be done
with the work (attribution, share-alike, non-commercial, no-derivatives). `parse_license` never
guesses: anything it does not recognise for certain is `UNKNOWN`, which is a state the guard asks the
user to resolve, not a licence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from adapt.errors import LicenseError

LicenseKind = Literal["cc", "cc0", "pdm", "arr", "unknown"]

# Creative Commons element codes in their canonical order (as in the URLs and SPDX ids).
_ELEMENT_NAMES = {"by": "Attribution", "nc": "NonCommercial", "nd": "NoDerivatives", "sa": "ShareAlike"}
_CANONICAL_CODES = ("by", "by-sa", "by-nc", "by-nc-sa", "by-nd", "by-nc-nd")
CC_VERSIONS = ("1.0", "2.0", "2.1", "2.5", "3.0", "4.0")

# CC ports (jurisdiction versions, 2.0-3.0) by their URL code; names only for the messages.
_PORT_NAMES = {
    "us": "United States", "uk": "England and Wales", "scotland": "Scotland", "de": "Germany", "fr": "France",
    "es": "Spain", "it": "Italy", "nl": "Netherlands", "at": "Austria", "au": "Australia", "br": "Brazil",
    "ca": "Canada", "ch": "Switzerland", "igo": "IGO", "jp": "Japan", "nz": "New Zealand", "pt": "Portugal",
    "za": "South Africa", "in": "India", "ie": "Ireland", "pl": "Poland", "cl": "Chile", "mx": "Mexico",
}


@dataclass(frozen=True)
class License:
    id: str  # SPDX-like: CC-BY-4.0, CC-BY-NC-SA-3.0-US, CC0-1.0, PDM-1.0, ARR, UNKNOWN
    kind: LicenseKind
    name: str  # full name: "Creative Commons Attribution-ShareAlike 4.0 International"
    short: str  # how a notice cites it: "CC BY-SA 4.0"
    url: str | None = None  # canonical deed URL, https, trailing slash
    version: str | None = None
    attribution: bool = False  # BY: the source must be credited
    share_alike: bool = False  # SA: adaptations carry the same licence
    noncommercial: bool = False  # NC: no commercial use
    no_derivatives: bool = False  # ND: adaptations may not be shared

    @property
    def known(self) -> bool:
        return self.kind != "unknown"

    @property
    def allows_adaptation(self) -> bool:
        """May an adaptation (translation, simplification) of the work be made and shared?"""
        return self.kind in ("cc0", "pdm") or (self.kind == "cc" and not self.no_derivatives)

    @property
    def elements(self) -> str:
        """The CC element code (by, by-nc-sa...), '' for anything that is not a CC licence."""
        if self.kind != "cc":
            return ""
        parts = ["by"] + [code for code, on in (("nc", self.noncommercial), ("nd", self.no_derivatives),
                                                 ("sa", self.share_alike)) if on]
        return "-".join(parts)

    def cited(self) -> str:
        """'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)', or the short name alone."""
        return f"{self.short} ({self.url})" if self.url else self.short

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "name": self.name, "short": self.short, "url": self.url, "version": self.version,
            "attribution": self.attribution, "share_alike": self.share_alike, "noncommercial": self.noncommercial,
            "no_derivatives": self.no_derivatives, "allows_adaptation": self.allows_adaptation,
        }

    def __str__(self) -> str:
        return self.id


def _canonical_code(code: str) -> str | None:
    """'BY_NC SA' / 'by-sa-nc' / 'by-nd-nc' (1.0 order) -> 'by-nc-sa'; None if not a BY licence."""
    parts = [p for p in re.split(r"[\s_-]+", code.lower()) if p]
    if not parts or parts[0] != "by" or len(set(parts)) != len(parts) or not set(parts) <= set(_ELEMENT_NAMES):
        return None
    rest = set(parts[1:])
    if {"nd", "sa"} <= rest:
        return None  # no such licence: ND and SA contradict each other
    ordered = "-".join(["by"] + [e for e in ("nc", "nd", "sa") if e in rest])
    return ordered if ordered in _CANONICAL_CODES else None


def cc_license(code: str, version: str, port: str | None = None) -> License:
    """The Creative Commons licence for an element code ('by-nc-sa'), a version and an optional port."""
    canonical = _canonical_code(code)
    if canonical is None or version not in CC_VERSIONS:
        raise ValueError(f"not a Creative Commons licence: {code!r} {version!r}")
    code = canonical
    elements = code.split("-")
    words = "-".join(_ELEMENT_NAMES[e] for e in elements)
    if version == "4.0" or not port:
        scope = " International" if version == "4.0" else (" Unported" if version == "3.0" else "")
        port_id, port_path = "", ""
    else:
        scope = f" {_PORT_NAMES.get(port, port.upper())}"
        port_id, port_path = f"-{port.upper()}", f"{port}/"
    # Before 4.0, CC called it "NoDerivs"; the SPDX ids use the same letters either way.
    if version != "4.0":
        words = words.replace("NoDerivatives", "NoDerivs")
    return License(
        id=f"CC-{code.upper()}-{version}{port_id}",
        kind="cc",
        name=f"Creative Commons {words} {version}{scope}",
        short=f"CC {code.upper()} {version}" + (f" {port.upper()}" if port and port_id else ""),
        url=f"https://creativecommons.org/licenses/{code}/{version}/{port_path}",
        version=version,
        attribution=True,
        share_alike="sa" in elements,
        noncommercial="nc" in elements,
        no_derivatives="nd" in elements,
    )


CC0 = License("CC0-1.0", "cc0", "CC0 1.0 Universal Public Domain Dedication", "CC0 1.0",
              "https://creativecommons.org/publicdomain/zero/1.0/", "1.0")
PDM = License("PDM-1.0", "pdm", "Public Domain Mark 1.0", "Public Domain Mark 1.0",
              "https://creativecommons.org/publicdomain/mark/1.0/", "1.0")
ALL_RIGHTS_RESERVED = License("ARR", "arr", "All rights reserved", "all rights reserved")
UNKNOWN = License("UNKNOWN", "unknown", "Unknown licence", "licence unknown")

CC_BY_4 = cc_license("by", "4.0")

# The licences a user picks from (CLI help, UI menus); older versions and ports parse all the same.
COMMON_LICENSES: tuple[License, ...] = tuple(cc_license(c, "4.0") for c in _CANONICAL_CODES) + (
    CC0, PDM, ALL_RIGHTS_RESERVED,
)

_SPECIAL_IDS = {
    "cc0": CC0, "cc0-1.0": CC0, "cc0 1.0": CC0, "cc-zero": CC0, "cc zero": CC0,
    "pdm": PDM, "pdm-1.0": PDM, "pdm 1.0": PDM, "public domain mark": PDM, "public domain mark 1.0": PDM,
    "publicdomain": PDM, "public-domain-mark": PDM,
    "arr": ALL_RIGHTS_RESERVED, "all rights reserved": ALL_RIGHTS_RESERVED,
    "all-rights-reserved": ALL_RIGHTS_RESERVED, "licenseref-all-rights-reserved": ALL_RIGHTS_RESERVED,
    "copyright": ALL_RIGHTS_RESERVED,
    "unknown": UNKNOWN, "noassertion": UNKNOWN,
}

_CC_URL_RE = re.compile(
    r"""(?:https?:)?//(?:www\.)?creativecommons\.org/licen[sc]es/
        (?P<code>[a-z]+(?:-[a-z]+){0,3})/(?P<version>\d\.\d)
        (?:/(?P<port>(?!deed|legalcode|rdf)[a-z]{2,8}(?:-[a-z]{2})?))?
        (?:/(?:deed(?:\.[a-z]{2,3}(?:[-_][a-z]{2,4})?)?|legalcode(?:\.[a-z]{2,3}(?:[-_][a-z]{2,4})?)?|rdf)?)?
        /?(?=$|[\s"'<>)\]#?,;.])""",
    re.I | re.X,
)
_PD_URL_RE = re.compile(
    r"""(?:https?:)?//(?:www\.)?creativecommons\.org/publicdomain/(?P<which>zero|mark)/1\.0
        (?:/(?:deed(?:\.[a-z]{2,3}(?:[-_][a-z]{2,4})?)?|legalcode(?:\.[a-z]{2,3})?)?)?/?(?=$|[\s"'<>)\]#?,;.])""",
    re.I | re.X,
)
# Badge images: i.creativecommons.org/l/by-sa/4.0/88x31.png, licensebuttons.net/l/by/3.0/us/80x15.png,
# i.creativecommons.org/p/zero/1.0/88x31.png, licensebuttons.net/p/mark/1.0/88x31.png
_BADGE_RE = re.compile(
    r"""(?:https?:)?//(?:i\.creativecommons\.org|licensebuttons\.net|mirrors\.creativecommons\.org/l)
        /(?:l/(?P<code>[a-z]+(?:-[a-z]+){0,3})/(?P<version>\d\.\d)(?:/(?P<port>[a-z]{2,8}))?
           |p/(?P<which>zero|mark)/1\.0)
        /\d+x\d+\.(?:png|svg|gif)""",
    re.I | re.X,
)
# "CC BY-SA 4.0", "CC-BY-NC-ND-3.0", "cc by nc 4.0", "CC BY-NC-SA 3.0 US"
_SPDX_RE = re.compile(
    r"""\bCC[\s_-]?(?P<code>BY(?:[\s_-]?(?:NC|ND|SA)){0,2})[\s_-]?(?:v(?:ersion)?\s?)?(?P<version>\d\.\d)
        (?:[\s_-](?P<port>US|UK|DE|FR|ES|IT|NL|AT|AU|BR|CA|CH|IGO|JP|NZ|PT|ZA|IN|IE|PL|CL|MX)\b)?(?![\d.]\d)""",
    re.I | re.X,
)
# "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International", "Attribution 3.0 Unported"
_NAME_RE = re.compile(
    r"""(?:Creative\s{1,5}Commons\s{1,5})?\bAttribution
        (?P<rest>(?:[\s-]{1,5}(?:Non-?Commercial|No-?Derivatives|No-?Derivs|Share-?Alike)){0,2})
        (?:\s{1,5}License)?\s{0,5},?\s{1,5}(?:version\s{1,5}|v)?(?P<version>\d\.\d)""",
    re.I | re.X,
)
_CC0_TEXT_RE = re.compile(r"\bCC0(?:[\s-]?1\.0)?\b|\bCC[\s-]Zero\b|\bCreative\s{1,5}Commons\s{1,5}Zero\b", re.I)
_PDM_TEXT_RE = re.compile(r"\bPublic\s{1,5}Domain\s{1,5}Mark\b", re.I)
_ARR_TEXT_RE = re.compile(r"\bAll\s{1,5}rights\s{1,5}reserved\b", re.I)


def _from_match_groups(code: str | None, version: str | None, port: str | None, which: str | None) -> License:
    if which:
        return CC0 if which.lower() == "zero" else PDM
    canonical = _canonical_code(code or "")
    if canonical is None or version not in CC_VERSIONS:
        return UNKNOWN
    port = port.lower() if port else None
    if version == "4.0":
        port = None  # 4.0 has no ports
    return cc_license(canonical, version, port)


def parse_license_url(url: str) -> License:
    """A licence from a deed, legal code or badge URL; UNKNOWN for anything else."""
    text = url.strip()
    for regex in (_CC_URL_RE, _PD_URL_RE, _BADGE_RE):
        match = regex.search(text)
        if match:
            groups = match.groupdict()
            return _from_match_groups(groups.get("code"), groups.get("version"), groups.get("port"),
                                      groups.get("which"))
    return UNKNOWN


def _from_name(text: str) -> License:
    match = _NAME_RE.search(text)
    if not match:
        return UNKNOWN
    rest = match.group("rest").lower()
    code = "by"
    if "commercial" in rest:
        code += "-nc"
    if "deriv" in rest:
        code += "-nd"
    if "share" in rest:
        code += "-sa"
    return _from_match_groups(code, match.group("version"), None, None)


def parse_license(value: str | None) -> License:
    """A licence from whatever a source or a user gives: an URL, an SPDX id, a name. Never a guess:
    a text that names no licence for certain (e.g. 'Creative Commons Attribution License' with no
    version) gives UNKNOWN."""
    if value is None:
        return UNKNOWN
    text = value.strip()
    if not text or len(text) > 2000:
        return UNKNOWN  # a licence is never a whole document; don't scan one as if it were
    special = _SPECIAL_IDS.get(re.sub(r"\s+", " ", text.lower()))
    if special is not None:
        return special
    if "/" in text:
        found = parse_license_url(text)
        if found.known or re.match(r"^(?:https?:)?//", text, re.I):
            return found
    match = _SPDX_RE.fullmatch(text) or _SPDX_RE.fullmatch(text.replace("License", "").strip())
    if match:
        return _from_match_groups(match.group("code"), match.group("version"), match.group("port"), None)
    named = _from_name(text)
    if named.known:
        return named
    if _CC0_TEXT_RE.fullmatch(text) or re.fullmatch(r"(?i)CC0 1\.0 Universal.*", text):
        return CC0
    if _PDM_TEXT_RE.fullmatch(text):
        return PDM
    return UNKNOWN


def require_license(value: str) -> License:
    """Parse a licence a user typed (--license, --assume-license); an unrecognised one is an error."""
    found = parse_license(value)
    if not found.known:
        ids = ", ".join(lic.id for lic in COMMON_LICENSES)
        raise LicenseError(
            f"{value!r} is not a licence OER Adapt recognises",
            hint=f"give an id ({ids}), a Creative Commons URL or a name such as 'CC BY-SA 4.0'",
        )
    return found


def license_by_id(license_id: str | None) -> License:
    """The licence for an id stored in the database (NULL is unknown)."""
    return parse_license(license_id) if license_id else UNKNOWN


@dataclass(frozen=True)
class Mention:
    """A licence named somewhere in a text: what, where (character offsets) and how it was written."""

    license: License
    start: int
    end: int
    raw: str
    how: Literal["url", "badge", "spdx", "name", "cc0", "pdm", "arr"]


def find_mentions(text: str) -> list[Mention]:
    """Every licence named in a text, in order; overlapping matches keep the first, longest one."""
    found: list[Mention] = []
    scans = (
        (_CC_URL_RE, "url"), (_PD_URL_RE, "url"), (_BADGE_RE, "badge"), (_SPDX_RE, "spdx"), (_NAME_RE, "name"),
        (_CC0_TEXT_RE, "cc0"), (_PDM_TEXT_RE, "pdm"), (_ARR_TEXT_RE, "arr"),
    )
    for regex, how in scans:
        for match in regex.finditer(text):
            raw = match.group(0)
            if how in ("url", "badge"):
                lic = parse_license_url(raw)
            elif how == "spdx":
                lic = _from_match_groups(match.group("code"), match.group("version"), match.group("port"), None)
            elif how == "name":
                lic = _from_name(raw)
            else:
                lic = {"cc0": CC0, "pdm": PDM, "arr": ALL_RIGHTS_RESERVED}[how]
            if lic.known:
                found.append(Mention(lic, match.start(), match.end(), raw, how))  # type: ignore[arg-type]
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
