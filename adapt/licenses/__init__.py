"""Licences and attribution: the one place that knows what a licence allows.

    model      License values; parse_license from URLs, SPDX ids and names; find_mentions in text
    policy     verdict(licence, action), the export licence, compatible_for_remix
    detect     the licence of a Document (format metadata, markup, text) and of its own elements
    guard      the store-backed check every adapting path calls (and the confirmations it records)

Attribution statements (TASL and "changes made") live in `adapt.attribution`.
"""

from __future__ import annotations

from adapt.licenses.model import (
    ALL_RIGHTS_RESERVED,
    CC0,
    COMMON_LICENSES,
    PDM,
    UNKNOWN,
    License,
    Mention,
    cc_license,
    find_mentions,
    license_by_id,
    parse_license,
    parse_license_url,
    require_license,
)
from adapt.licenses.policy import (
    ACTIONS,
    ADAPTING_ACTIONS,
    Verdict,
    check_export_license,
    compatible_for_remix,
    default_export_license,
    verdict,
)

__all__ = [
    "ACTIONS", "ADAPTING_ACTIONS", "ALL_RIGHTS_RESERVED", "CC0", "COMMON_LICENSES", "PDM", "UNKNOWN", "License",
    "Mention", "Verdict", "cc_license", "check_export_license", "compatible_for_remix", "default_export_license",
    "find_mentions", "license_by_id", "parse_license", "parse_license_url", "require_license", "verdict",
]
