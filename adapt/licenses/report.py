"""A resource's licence in full, for `adapt license show` and the UI: what the source states and where,
who confirmed what, the elements with their own licence, and the verdict for every action."""

from __future__ import annotations

from typing import Any

from adapt.licenses.detect import SOURCE_WORDS
from adapt.licenses.guard import confirmations, element_licenses, license_status
from adapt.licenses.policy import ACTIONS, verdict
from adapt.store import Store


def license_report(store: Store, resource_id: int) -> dict[str, Any]:
    res = store.resource(resource_id)
    status = license_status(store, res)
    lic = status.license
    return {
        "resource": res.id,
        "title": res.title,
        "license": lic.to_json(),
        "stated": status.stated.id,
        "detection": res.metadata.get("license_detection"),
        "assumed": status.confirmation.to_json() if status.confirmation else None,
        "confirmations": [c.to_json() for c in confirmations(store, res.id)],
        "elements": [e.to_json() for e in element_licenses(store, res.id)],
        # Licence links the reader found on components (figures, quotes, asides), never the resource's own.
        "components": list(res.metadata.get("component_licenses") or []),
        "actions": {action: verdict(lic, action).to_json() for action in ACTIONS},
    }


def format_report(report: dict[str, Any]) -> str:
    lic = report["license"]
    lines = [f"resource {report['resource']}: {report['title'] or ''}".rstrip()]
    detection = report.get("detection") or {}
    if lic["id"] != "UNKNOWN":
        source = str(detection.get("source", "?"))
        where = ("set by a user" if detection.get("set_by_user")
                 else f"from {SOURCE_WORDS.get(source.split(':')[0], source)} ({source})")
        if report["assumed"]:
            a = report["assumed"]
            where = f"not stated in the source; confirmed by {a['by']} on {a['at'][:10]}"
        lines.append(f"licence: {lic['name']} ({lic['id']}{', ' + lic['url'] if lic['url'] else ''}), {where}")
    else:
        cands = detection.get("candidates") or []
        lines.append("licence: unknown" + (f" (the text names several: {', '.join(cands)})" if cands else "")
                     + (f" (the source says {detection['raw']!r})" if detection.get("raw") and not cands else ""))
    for action, v in report["actions"].items():
        mark = {"allowed": "ok", "refused": "NO", "confirm": "??"}[v["outcome"]]
        lines.append(f"  {mark:<2} {action:<9} {v['message']}")
        if v["outcome"] != "allowed" and v.get("hint"):
            lines.append(f"     {'':<9} → {v['hint']}")
    blocked = [e for e in report["elements"] if not e["adaptable"]]
    if report["elements"]:
        lines.append(f"elements with a licence or credit of their own: {len(report['elements'])}"
                     f" ({len(blocked)} kept out of adaptation)")
        for e in blocked:
            lines.append(f"  {e['segment']}: {e['reason']}")
    components = report.get("components") or []
    if components:
        lines.append(f"licences of components (figures, quotes, asides), not the resource's: {len(components)}")
        for c in components[:20]:
            credit = f" ({c['credit']})" if c.get("credit") else ""
            lines.append(f"  {c.get('element', '?')} at {c.get('where', '?')}: {c.get('license_url')}{credit}")
        if len(components) > 20:
            lines.append(f"  … and {len(components) - 20} more (see --json)")
    return "\n".join(lines)
