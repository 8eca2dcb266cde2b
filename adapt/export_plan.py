"""The export plan, made once: what preview, export, the JSON-LD metadata and the UI's downloads show.

The licence guard runs again when anything was adapted, elements kept out by their own licence keep
their source text, and the rendered file carries the attribution, the changes made and the licence
notices (RenderPlan.notices) plus the licence in RenderPlan.metadata for formats that hold it (CNXML
md:license, DOCX properties, the cartridge manifest). Planning reads and never writes: element
licences are decided at import, `license set` and a licence confirmation (adapt.licenses.guard)."""

from __future__ import annotations

from dataclasses import replace

from adapt.attribution import attribution
from adapt.export import ExportPlan, plan_export
from adapt.licenses.guard import blocked_segments, check_adaptation, license_status
from adapt.notices import reader_notices
from adapt.store import Store


def build_export_plan(
    store: Store,
    resource_id: int,
    *,
    target_language: str | None = None,
    include_unreviewed: bool = False,
    export_license: str | None = None,
    assume_license: str | None = None,
    actor: str = "unknown",
) -> ExportPlan:
    res = store.resource(resource_id)
    blocked = blocked_segments(store, resource_id)
    planned = plan_export(store, res, target_language=target_language, include_unreviewed=include_unreviewed,
                          exclude=blocked)
    if planned.plan.replacements:
        check = check_adaptation(store, res, "export", assume_license=assume_license, actor=actor,
                                 export_license=export_license)
    else:
        check = license_status(store, res)  # an unadapted copy: nothing to refuse, attribution all the same
    att = attribution(store, res, target_language=planned.plan.target_language or target_language,
                      include_unreviewed=include_unreviewed, check=check, blocked=check.blocked)
    lic = att.export_license if (att.export_license and att.changes.changed) else check.license
    metadata = {
        **planned.plan.metadata,
        "license": lic.id if lic.known else None,
        "license_url": lic.url,
        "license_name": lic.name if lic.known else None,
        "source_license": check.license.id if check.license.known else None,
        "source_license_url": check.license.url,
        "attribution": att.source.text(),
        "changes": att.changes.text(),
        "authors": list(att.source.authors),
        "is_based_on": att.source.url,
    }
    # The file's notes in the reader's language (fixed templates, no model ids); the metadata above
    # keeps the English statements with the models used.
    notes = reader_notices(att, planned.plan.target_language or target_language)
    plan = replace(planned.plan, notices=(*planned.plan.notices, *notes.notices), metadata=metadata,
                   unreviewed_notice=notes.unreviewed_notice, notice_label=notes.label)
    return replace(planned, plan=plan, check=check, attribution=att, notes_message=notes.message)
