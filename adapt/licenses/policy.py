"""What each licence allows: the verdict for an action, the licence an adaptation is shared under,
and which licences can be remixed together.

Under Creative Commons a translation or a simplification is an adaptation. ND forbids sharing one; SA
makes it carry the same licence; NC keeps the non-commercial restriction on everything built from the
source; every CC licence requires attribution and an indication of changes. Tagging describes a
resource without changing it, so every licence allows it. Pure functions of `License` values: the
store-backed guard (`adapt.licenses.guard`) and the export call these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from adapt.licenses.model import CC0, UNKNOWN, License, parse_license

Action = Literal["translate", "simplify", "tag", "export"]
ACTIONS: tuple[str, ...] = ("translate", "simplify", "tag", "export")
ADAPTING_ACTIONS = ("translate", "simplify")
Outcome = Literal["allowed", "refused", "confirm"]

_VERB = {
    "translate": "translating", "simplify": "simplifying", "tag": "tagging", "export": "exporting an adaptation of",
}


@dataclass(frozen=True)
class Verdict:
    """What the licence says about one action: allowed, refused, or allowed once the user confirms a
    licence for a resource that states none. `message` is what the user is told, `notices` what an
    export must carry (beyond attribution), `export_license` the licence an adaptation goes out under."""

    action: str
    license: License
    outcome: Outcome
    message: str
    hint: str | None = None
    notices: tuple[str, ...] = ()
    export_license: License | None = None
    export_license_forced: bool = False
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def allowed(self) -> bool:
        return self.outcome == "allowed"

    def to_json(self) -> dict[str, object]:
        return {
            "action": self.action, "license": self.license.id, "outcome": self.outcome, "message": self.message,
            "hint": self.hint, "notices": list(self.notices), "warnings": list(self.warnings),
            "export_license": self.export_license.id if self.export_license else None,
            "export_license_forced": self.export_license_forced,
        }


def nc_notice(lic: License) -> str:
    return (f"Non-commercial: the source is licensed under {lic.short}, which forbids commercial use; this "
            "adaptation may not be used commercially either.")


def sa_notice(lic: License) -> str:
    return (f"Share-alike: the source is licensed under {lic.short}, so this adaptation is shared under the "
            f"same licence ({lic.cited()}).")


def default_export_license(source: License) -> License | None:
    """The licence an adaptation goes out under when the user names none: the source's own where it
    has one; CC0 for public-domain material (the adapter's changes need some licence: the most open)."""
    if source.kind == "cc":
        return source
    if source.kind in ("cc0", "pdm"):
        return CC0
    return None


def check_export_license(source: License, wanted: License) -> str | None:
    """None if an adaptation of `source` may go out under `wanted`; else why not."""
    if source.kind in ("cc0", "pdm"):
        return None
    if source.kind != "cc" or source.no_derivatives:
        return f"an adaptation of material under {source.short} cannot be shared at all"
    if source.share_alike:
        # BY-SA lets adaptations use the same elements at this or a later version (CC's compatibility rule).
        same_elements = wanted.kind == "cc" and wanted.elements == source.elements
        if not (same_elements and _version(wanted) >= _version(source)):
            return (f"{source.short} is share-alike: the adaptation must carry {source.short} (or a later "
                    f"version of it), not {wanted.short}")
        return None
    if source.noncommercial and not (wanted.kind == "cc" and wanted.noncommercial):
        return (f"{source.short} is non-commercial: licensing the adaptation under {wanted.short} would "
                "suggest commercial use is allowed; choose a licence with NC")
    return None


def _version(lic: License) -> float:
    try:
        return float(lic.version or 0)
    except ValueError:
        return 0.0


def verdict(lic: License, action: str, *, export_license: License | None = None) -> Verdict:
    """The licence `lic` applied to `action` (translate, simplify, tag, export an adaptation)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    if action == "tag":
        return _tag_verdict(lic)
    verb = _VERB[action]
    if lic.kind == "unknown":
        return Verdict(
            action, lic, "confirm",
            f"the licence of this resource is unknown: {verb} it is only allowed under a licence that permits "
            "adaptation, and the source states none that OER Adapt recognises",
            hint="if you know the licence, set it with --license ID; if you have checked it yourself, confirm it "
                 "with --assume-license ID (e.g. CC-BY-4.0); the export will say it was assumed",
        )
    if lic.kind == "arr":
        return Verdict(
            action, lic, "refused",
            f"this resource is 'all rights reserved': {verb} it needs the rights holder's permission",
            hint="ask the rights holder for an open licence and record it with --license ID, or adapt an openly "
                 "licensed resource instead",
        )
    if lic.no_derivatives:
        return Verdict(
            action, lic, "refused",
            f"{lic.short} is a no-derivatives licence: it forbids sharing translations, simplifications and "
            "other adaptations of this resource",
            hint="use the resource unchanged, ask the rights holder for permission (and record the licence "
                 "they grant with --license ID), or adapt a resource under a licence without ND",
        )
    return _allowed_adaptation(lic, action, export_license)


def _tag_verdict(lic: License) -> Verdict:
    base = "tags describe the resource without changing it, so tagging is allowed under any licence"
    warnings: tuple[str, ...] = ()
    if lic.kind == "unknown":
        warnings = ("the licence of this resource is unknown: set it with --license ID before adapting or "
                    "sharing it",)
    elif not lic.allows_adaptation:
        warnings = (f"{lic.short} does not allow adapting the resource itself",)
    return Verdict("tag", lic, "allowed", f"{base} ({lic.short})", warnings=warnings)


def _allowed_adaptation(lic: License, action: str, wanted: License | None) -> Verdict:
    notices: list[str] = []
    forced = lic.kind == "cc" and lic.share_alike
    out = default_export_license(lic)
    if wanted is not None and wanted != out:
        problem = check_export_license(lic, wanted)
        if problem:
            return Verdict(action, lic, "refused", problem,
                           hint=f"export under {out.id}" if out else None, export_license=out,
                           export_license_forced=forced)
        out = wanted
    if lic.kind == "cc":
        parts = [f"{lic.short} allows adaptations with attribution to the source and a statement of the changes"]
        if lic.share_alike:
            parts.append(f"share-alike: the adaptation must be shared under {lic.short}")
            notices.append(sa_notice(lic))
        if lic.noncommercial:
            parts.append("non-commercial: the adaptation may not be used commercially")
            notices.append(nc_notice(lic))
        message = "; ".join(parts)
    elif lic.kind == "cc0":
        message = ("CC0 1.0 waives all rights: adaptations are allowed and attribution is not required "
                   "(OER Adapt gives it anyway, as good practice)")
    else:
        message = ("the Public Domain Mark says the work is free of known copyright: adaptations are allowed "
                   "and attribution is not required (OER Adapt gives it anyway, as good practice)")
    return Verdict(action, lic, "allowed", message, notices=tuple(notices), export_license=out,
                   export_license_forced=forced)


def compatible_for_remix(source_license: str | None, candidate_license: str | None) -> bool:
    """May material under `candidate_license` be combined into an adaptation of material under
    `source_license`? Both are ids, URLs or names as stored (None is unknown).

    Follows Creative Commons' compatibility chart: public-domain material goes with anything that can
    be adapted; BY goes with any adaptable CC licence; SA only with BY or the same SA elements; NC only
    with NC or BY; ND, all-rights-reserved and unknown go with nothing (an unknown licence is not a
    guess). Symmetric.
    """
    a, b = parse_license(source_license), parse_license(candidate_license)
    if not (a.allows_adaptation and b.allows_adaptation):
        return False
    if a.kind != "cc" or b.kind != "cc":
        return True  # CC0 / PDM combine with any adaptable licence
    if a.share_alike and b.share_alike:
        return a.elements == b.elements  # BY-SA + BY-NC-SA cannot both be satisfied
    if a.share_alike or b.share_alike:
        sa, other = (a, b) if a.share_alike else (b, a)
        # The result must carry the SA licence, so the other may not add a restriction (NC) it lacks.
        return sa.noncommercial or not other.noncommercial
    return True  # BY / BY-NC combine; the result is NC if either is


__all__ = [
    "ACTIONS", "ADAPTING_ACTIONS", "Verdict", "check_export_license", "compatible_for_remix",
    "default_export_license", "nc_notice", "sa_notice", "verdict", "UNKNOWN",
]
