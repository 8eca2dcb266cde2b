"""The licence guard over stored resources: every adapting path (translate, simplify, tag, export)
calls `check_adaptation` first. It refuses what the licence forbids, asks for a confirmed licence
where the source states none (and records who confirmed what), and names the elements kept out of
adaptation by their own licence.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapt.document import Document
from adapt.errors import LicenseConfirmationRequired, LicenseError
from adapt.licenses.detect import Detection, ElementLicense, decide_element, detect_element_licenses, detect_license
from adapt.licenses.model import UNKNOWN, License, license_by_id, parse_license, require_license
from adapt.licenses.policy import ACTIONS, Verdict, verdict
from adapt.store import Resource, Store, now


@dataclass(frozen=True)
class Confirmation:
    """Someone confirmed a licence for a resource whose source states none."""

    id: int
    resource_id: int
    action: str
    license: License
    actor: str
    created_at: str

    def to_json(self) -> dict[str, Any]:
        return {"license": self.license.id, "action": self.action, "by": self.actor, "at": self.created_at}


@dataclass(frozen=True)
class LicenseCheck:
    """The outcome of the guard for one action on one resource (only returned when it is allowed)."""

    resource_id: int
    action: str
    stated: License  # what the source (or a user with --license) states; UNKNOWN when nothing
    confirmation: Confirmation | None  # the licence someone assumed, when the source states none
    verdict: Verdict
    blocked: Mapping[str, str] = field(default_factory=dict)  # segment key -> why it is kept out

    @property
    def license(self) -> License:
        """The licence everything is decided by: the stated one, else the confirmed one."""
        return self.confirmation.license if self.confirmation else self.stated

    @property
    def assumed(self) -> bool:
        return self.confirmation is not None

    def warnings(self) -> list[str]:
        out = list(self.verdict.warnings)
        if self.confirmation:
            c = self.confirmation
            out.append(f"the source states no licence; {c.actor} confirmed {c.license.short} on {c.created_at[:10]}")
        if self.blocked:
            out.append(f"{len(self.blocked)} element(s) with a licence of their own are kept out of adaptation")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.resource_id, "action": self.action, "license": self.license.id,
            "stated": self.stated.id, "assumed": self.confirmation.to_json() if self.confirmation else None,
            "verdict": self.verdict.to_json(), "blocked": dict(self.blocked), "warnings": self.warnings(),
        }


def stated_license(resource: Resource) -> License:
    return license_by_id(resource.license)


def check_adaptation(
    store: Store,
    resource: Resource | int,
    action: str,
    *,
    assume_license: str | None = None,
    actor: str | None = None,
    export_license: str | License | None = None,
) -> LicenseCheck:
    """Allow `action` on a resource or raise LicenseError (LicenseConfirmationRequired when the source
    states no licence and none was confirmed). `assume_license` confirms a licence for such a resource;
    it is recorded with `actor` and holds for later actions on the same resource."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    res = store.resource(resource) if isinstance(resource, int) else resource
    stated = stated_license(res)
    assumed = require_license(assume_license) if assume_license else None
    wanted = _export_license(export_license)
    confirmation: Confirmation | None = None
    if stated.known:
        if assumed is not None and assumed != stated:
            raise LicenseError(
                f"resource {res.id} states its licence ({stated.short}); --assume-license only confirms a licence "
                "for a resource that states none",
                hint=f"if {stated.short} is wrong, correct it with `adapt license set {res.id} ID`",
            )
    elif assumed is not None:
        confirmation = Confirmation(0, res.id, action, assumed, actor or "unknown", now())
    else:
        confirmation = latest_confirmation(store, res.id)
    effective = confirmation.license if confirmation else stated
    result = verdict(effective, action, export_license=wanted)
    if result.outcome == "confirm":
        raise LicenseConfirmationRequired(f"resource {res.id}: {result.message}", hint=result.hint)
    if result.outcome == "refused":
        raise LicenseError(f"resource {res.id}: {result.message}", hint=result.hint)
    if confirmation is not None and confirmation.id == 0:
        confirmation = _record_confirmation(store, confirmation)
        # A new licence is in force: re-decide each element against it. Otherwise the decisions made at
        # import, `license set` or an earlier confirmation stand, and checking writes nothing.
        blocked = sync_element_licenses(store, res.id, effective)
    else:
        blocked = blocked_segments(store, res.id)
    return LicenseCheck(res.id, action, stated, confirmation, result, blocked)


def license_status(store: Store, resource: Resource | int, action: str = "export") -> LicenseCheck:
    """What the guard would say, without raising or recording anything (for reports and export notes)."""
    res = store.resource(resource) if isinstance(resource, int) else resource
    stated = stated_license(res)
    confirmation = None if stated.known else latest_confirmation(store, res.id)
    effective = confirmation.license if confirmation else stated
    return LicenseCheck(res.id, action, stated, confirmation, verdict(effective, action),
                        blocked_segments(store, res.id))


def _export_license(value: str | License | None) -> License | None:
    if value is None or isinstance(value, License):
        return value
    return require_license(value)


# -- confirmations ---------------------------------------------------------------------------------


def _record_confirmation(store: Store, c: Confirmation) -> Confirmation:
    def insert(conn: sqlite3.Connection) -> int:
        cur = conn.execute(
            "INSERT INTO license_confirmations (resource_id, action, license, actor, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (c.resource_id, c.action, c.license.id, c.actor, c.created_at),
        )
        return int(cur.lastrowid or 0)

    return Confirmation(store.write(insert), c.resource_id, c.action, c.license, c.actor, c.created_at)


def confirmations(store: Store, resource_id: int) -> list[Confirmation]:
    rows = store.read(lambda c: c.execute(
        "SELECT * FROM license_confirmations WHERE resource_id = ? ORDER BY id", (resource_id,)).fetchall())
    return [Confirmation(r["id"], r["resource_id"], r["action"], parse_license(r["license"]), r["actor"],
                         r["created_at"]) for r in rows]


def latest_confirmation(store: Store, resource_id: int) -> Confirmation | None:
    found = confirmations(store, resource_id)
    return found[-1] if found else None


# -- elements with their own licence ----------------------------------------------------------------


def record_element_licenses(store: Store, resource_id: int, elements: Sequence[ElementLicense]) -> None:
    """Replace the stored element licences of a resource (done at import and when its licence is set)."""

    def replace(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM segment_licenses WHERE resource_id = ?", (resource_id,))
        conn.executemany(
            "INSERT INTO segment_licenses (resource_id, segment_key, license, raw, credit, adaptable, reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(resource_id, e.key, e.license.id if e.license else None, e.raw, e.credit, int(e.adaptable), e.reason)
             for e in elements],
        )

    store.write(replace)


def element_licenses(store: Store, resource_id: int) -> list[ElementLicense]:
    rows = store.read(lambda c: c.execute(
        "SELECT l.* FROM segment_licenses l LEFT JOIN segments s ON s.resource_id = l.resource_id "
        "AND s.key = l.segment_key WHERE l.resource_id = ? ORDER BY COALESCE(s.position, -1), l.segment_key",
        (resource_id,)).fetchall())
    return [ElementLicense(r["segment_key"], _stored_license(r["license"], r["raw"]), r["raw"], r["credit"],
                           bool(r["adaptable"]), r["reason"]) for r in rows]


def _stored_license(license_id: str | None, raw: str | None) -> License | None:
    if license_id is None:
        return None
    return UNKNOWN if license_id == UNKNOWN.id else license_by_id(license_id)


def sync_element_licenses(store: Store, resource_id: int, resource_license: License) -> dict[str, str]:
    """Re-decide each element against the resource's licence now in force; returns the blocked ones."""
    current = element_licenses(store, resource_id)
    updated = [decide_element(e.key, e.license, e.raw, e.credit, resource_license) for e in current]
    changed = [u for u, c in zip(updated, current) if (u.adaptable, u.reason) != (c.adaptable, c.reason)]
    if changed:
        store.write(lambda conn: conn.executemany(
            "UPDATE segment_licenses SET adaptable = ?, reason = ? WHERE resource_id = ? AND segment_key = ?",
            [(int(u.adaptable), u.reason, resource_id, u.key) for u in changed]))
    return {e.key: e.reason for e in updated if not e.adaptable}


def blocked_segments(store: Store, resource_id: int) -> dict[str, str]:
    """Segment key -> why it is kept out of adaptation, as last decided."""
    rows = store.read(lambda c: c.execute(
        "SELECT segment_key, reason FROM segment_licenses WHERE resource_id = ? AND adaptable = 0",
        (resource_id,)).fetchall())
    return {r["segment_key"]: r["reason"] for r in rows}


def adaptable_segments(store: Store, resource_id: int, blocked: Mapping[str, str] | None = None) -> list:
    """The segments an adapting step may work on: translatable, and not kept out by their own licence."""
    from adapt.pipeline import SegmentInput

    keep_out = blocked if blocked is not None else blocked_segments(store, resource_id)
    return [SegmentInput.from_record(r) for r in store.segments(resource_id)
            if r.translatable and r.key not in keep_out]


# -- import ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportLicense:
    """The licence a document comes in with: detected, or set by the user (`--license`)."""

    license: License
    detection: Detection
    override: License | None
    elements: tuple[ElementLicense, ...]

    @property
    def license_id(self) -> str | None:
        """What the resources table stores: NULL when the licence is unknown."""
        return self.license.id if self.license.known else None

    def metadata(self) -> dict[str, Any]:
        record = self.detection.to_json()
        if self.override is not None:
            record["set_by_user"] = self.override.id
        return {"license_detection": record}


def prepare_import(document: Document, license: str | None = None) -> ImportLicense:
    """Detect the document's licence (and its elements'); `license` sets or overrides it."""
    detection = detect_license(document)
    override = require_license(license) if license else None
    chosen = override or detection.license
    return ImportLicense(chosen, detection, override, tuple(detect_element_licenses(document, chosen)))


def finish_import(store: Store, resource_id: int, created: bool, prepared: ImportLicense) -> None:
    """Record the element licences of a new resource; a re-import with --license updates the licence."""
    if not created and prepared.override is not None:
        res = store.resource(resource_id)
        meta = {**res.metadata, **prepared.metadata()}
        store.update_resource(resource_id, license=prepared.license_id, metadata=meta)
    if created or prepared.override is not None:
        record_element_licenses(store, resource_id, prepared.elements)


def set_license(store: Store, resource_id: int, license: str, *, actor: str) -> License:
    """Correct or set a stored resource's licence (what `--license` does at import), recorded in its metadata."""
    from adapt.formats import parse_stored

    lic = require_license(license)
    res = store.resource(resource_id)
    meta = dict(res.metadata)
    record = dict(meta.get("license_detection") or {})
    record.update({"set_by_user": lic.id, "set_by": actor, "set_at": now()})
    meta["license_detection"] = record
    store.update_resource(resource_id, license=lic.id, metadata=meta)
    doc = parse_stored(res.format, res.source_name, store.resource_source(resource_id))
    record_element_licenses(store, resource_id, detect_element_licenses(doc, lic))
    return lic


def preflight(
    store: Store,
    document: Document,
    data: bytes,
    action: str,
    *,
    license: str | None = None,
    assume_license: str | None = None,
) -> Verdict:
    """The guard before anything is written (translate FILE checks this before importing the file).

    A file already in the store is judged by what is stored for it (a licence set or confirmed
    earlier); a new one by what its source states, or `license`."""
    from adapt.store import content_hash

    digest = content_hash(data)
    row = store.read(lambda c: c.execute("SELECT id FROM resources WHERE content_hash = ?", (digest,)).fetchone())
    override = require_license(license) if license else None
    assumed = require_license(assume_license) if assume_license else None
    if row is not None and override is None:
        res = store.resource(int(row[0]))
        stated = stated_license(res)
        confirmation = latest_confirmation(store, res.id) if not stated.known else None
        name = f"resource {res.id}"
    else:
        stated = override or detect_license(document).license
        confirmation = None
        name = document.source_name
    if stated.known and assumed is not None and assumed != stated:
        raise LicenseError(
            f"{name} states its licence ({stated.short}); --assume-license only confirms a licence for a "
            "resource that states none",
            hint="if the stated licence is wrong, set the right one with --license ID",
        )
    effective = stated if stated.known else (assumed or (confirmation.license if confirmation else UNKNOWN))
    result = verdict(effective, action)
    if result.outcome == "confirm":
        raise LicenseConfirmationRequired(f"{name}: {result.message}", hint=result.hint)
    if result.outcome == "refused":
        raise LicenseError(f"{name}: {result.message}", hint=result.hint)
    return result
