"""What one logged-in person does: the review UI's door into the service.

`UserSession(service, who)` checks the role once per call, here and nowhere else: a *teacher* sees and
reviews the resources they imported, an *editor* all of them, an *evaluator* reads everything and
changes nothing (adapt.people). Every method acts as `who`, and records their name with what it writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapt import languages
from adapt.catalogue.calibration import is_related
from adapt.errors import AdaptError, PermissionDenied, UserError
from adapt.people import User, require_reviewable, require_reviewer, require_visible
from adapt.store import Decision, Resource, Suggestion

if TYPE_CHECKING:
    from adapt.beside import SegmentHelp
    from adapt.comments import Comment
    from adapt.export import ExportPlan
    from adapt.jobs import Job
    from adapt.output_language import OutputLanguages
    from adapt.review import ReviewFilter, ReviewPage
    from adapt.service import AdaptService, ExportResult, ImportResult
    from adapt.source_language import SourceLanguage
    from adapt.store.batches import Batch, BatchUndo


@dataclass(frozen=True)
class ExportBundle:
    """One export click: the file and the JSON-LD metadata, both from one ExportPlan. Either may be
    missing, with the reason (a resource that was only tagged still gets its metadata)."""

    plan: ExportPlan
    file: ExportResult | None
    file_error: str | None
    metadata_path: Path | None
    metadata: dict[str, Any] | None
    metadata_error: str | None


class UserSession:
    def __init__(self, service: AdaptService, who: User) -> None:
        self.service = service
        self.who = who
        self.store = service.store

    # -- resources -------------------------------------------------------------------------------------
    def resources(self) -> list[Resource]:
        return [r for r in self.store.resources() if self.who.can_see(r)]

    def resource(self, resource_id: int) -> Resource:
        resource = self.store.resource(resource_id)
        require_visible(self.who, resource)
        return resource

    def _reviewable(self, resource_id: int) -> Resource:
        resource = self.store.resource(resource_id)
        require_reviewable(self.who, resource)
        return resource

    def import_upload(self, path: Path, *, max_bytes: int | None = None) -> ImportResult:
        """Import an uploaded file (who becomes its owner when it is new)."""
        require_reviewer(self.who)
        document, data = self.service.read(Path(path), max_bytes=max_bytes)
        result = self.service.import_document(document, data, owner=self.who.name)
        if not self.who.can_see(self.store.resource(result.resource_id)):  # the same bytes, imported by someone else
            raise PermissionDenied("another teacher has already imported this exact file",
                                   hint="ask an editor to review it, or to make it yours")
        return result

    # -- jobs ------------------------------------------------------------------------------------------
    def start_job(self, resource_id: int, tasks: Sequence[dict[str, Any]]) -> Job:
        """Queue tasks on a resource after checking each can run; the job runner picks it up."""
        from adapt import jobs

        self._reviewable(resource_id)
        if not tasks:
            raise UserError("choose at least one task", hint="e.g. translate to pt")
        available = self.service.job_tasks()
        for request in tasks:
            task = available.get(request.get("task", ""))
            if task is None:
                raise UserError(f"unknown task {request.get('task')!r}", hint=f"choose from {', '.join(available)}")
            task.validate(self.service, resource_id,
                          {"actor": self.who.name, **{k: v for k, v in request.items() if k != "task"}})
        job = jobs.create_job(self.store, resource_id, tasks, created_by=self.who.name)
        self.service.wake_job_runner()
        return job

    def job(self, job_id: int) -> Job:
        from adapt import jobs

        job = jobs.get_job(self.store, job_id)
        self.resource(job.resource_id)
        return job

    def jobs(self, *, limit: int = 10) -> list[Job]:
        from adapt import jobs

        if self.who.sees_everything:
            return jobs.list_jobs(self.store, limit=limit)
        return jobs.list_jobs(self.store, resource_ids=[r.id for r in self.resources()], limit=limit)

    # -- review ----------------------------------------------------------------------------------------
    def review_page(self, resource_id: int, flt: ReviewFilter | None = None, *, page: int = 1,
                    page_size: int = 25) -> ReviewPage:
        from adapt.review import ReviewFilter, review_page

        self.resource(resource_id)
        return review_page(self.store, resource_id, flt or ReviewFilter(), page=page, page_size=page_size)

    def decide(self, suggestion_id: int, action: str, *, expected_version: int | None,
               text: str | None = None) -> Suggestion:
        from adapt.review import decide

        return decide(self.store, self.who, suggestion_id, action, expected_version=expected_version, text=text)

    def accept_unflagged(self, resource_id: int, suggestion_ids: Sequence[int]) -> list[int]:
        from adapt.review import accept_unflagged

        return accept_unflagged(self.store, self.who, resource_id, suggestion_ids)

    def bulk_accept_candidates(self, resource_id: int, suggestion_ids: Sequence[int]) -> list[int]:
        """The rows a bulk accept of the filtered view would change, on every page (for its confirmation)."""
        from adapt.review import bulk_accept_candidates

        return bulk_accept_candidates(self.store, self.who, resource_id, suggestion_ids)

    def bulk_accept(self, resource_id: int, suggestion_ids: Sequence[int]) -> Batch:
        """Accept the pending, unflagged rows as one group that `undo_bulk` takes back in one step."""
        from adapt.review import bulk_accept

        return bulk_accept(self.store, self.who, resource_id, suggestion_ids)

    def undo_bulk(self, batch_id: int) -> BatchUndo:
        from adapt.review import undo_bulk

        return undo_bulk(self.store, self.who, batch_id)

    def source_language(self, resource_id: int, given: str | None = None) -> SourceLanguage:
        """The language a resource is translated from, with a note saying how it was found."""
        self.resource(resource_id)
        return self.service.resource_source_language(resource_id, given)

    def segment_help(self, suggestion_id: int) -> SegmentHelp:
        """Memory matches and glossary terms for a translated segment (adapt.beside), for its detail."""
        from adapt.beside import segment_help

        suggestion = self.store.suggestion(suggestion_id)
        self.resource(suggestion.resource_id)
        source = self.service.resource_source_language(suggestion.resource_id).language
        return segment_help(self.store, suggestion, source)

    def license_in_force(self, resource_id: int) -> str | None:
        """The licence the resource is adapted under: the one it states, else the one a person confirmed
        (with "I have checked this licence"); None while neither is known."""
        from adapt.licenses.guard import license_status

        check = license_status(self.store, self.resource(resource_id))
        return check.license.id if check.license.known else None

    def suggestion_license(self, suggestion_id: int) -> str | None:
        """The licence in force for the resource a suggestion belongs to (see license_in_force)."""
        return self.license_in_force(self.store.suggestion(suggestion_id).resource_id)

    def history(self, suggestion_id: int) -> list[Decision]:
        self.resource(self.store.suggestion(suggestion_id).resource_id)
        return self.store.decisions(suggestion_id)

    # -- live state and comments (issue 14) --------------------------------------------------------------
    def review_stamp(self, resource_id: int) -> list[int]:
        """A cheap stamp of the resource's review state: a page polls it and redraws only when it moved."""
        from adapt.live import review_stamp

        return review_stamp(self.store, self.who, resource_id).key()

    def comment(self, suggestion_id: int, text: str) -> Comment:
        """Comment on a suggestion (teachers on their resources, editors; not evaluators)."""
        from adapt.comments import comment

        return comment(self.store, self.who, suggestion_id, text)

    def comments(self, suggestion_id: int) -> list[Comment]:
        from adapt.comments import comments

        self.resource(self.store.suggestion(suggestion_id).resource_id)
        return comments(self.store, suggestion_id)

    def resource_suggestions(self, resource_id: int) -> list[Suggestion]:
        """Suggestions about the whole resource (tags...), not one segment."""
        self.resource(resource_id)
        return [s for s in self.store.suggestions(resource_id) if s.segment_id is None]

    # -- related resources -----------------------------------------------------------------------------
    def related_resources(self, resource_id: int, *, k: int = 8) -> dict[str, Any]:
        """Catalogue items related to a resource: `RelatedQuery.to_json()` plus `catalogue_items`
        (0, and nothing searched, when the catalogue is empty)."""
        self.resource(resource_id)
        items = self.service.catalogue().stats()["items"]
        if not items:
            return {"catalogue_items": 0, "results": []}
        return {"catalogue_items": items, **self.service.related(resource_id, k=k).to_json()}

    def review_related(self, resource_id: int, *, k: int = 8) -> list[Suggestion]:
        """The Related resources tab: search the catalogue for the resource and keep each result as a
        reviewable suggestion (task "related", about the whole resource), through the step runner. A
        reader (evaluator) sees what is stored; nothing new is stored for them."""
        from adapt.related import TASK_RELATED

        found = self.related_resources(resource_id, k=k)
        # Only what is related on the catalogue's own scale becomes a suggestion (adapt.catalogue.calibration).
        related = [r for r in found.get("results") or [] if is_related(r.get("relatedness"))]
        if related and self.who.can_review:
            self.service.store_related(resource_id, related)
        return self.store.suggestions(resource_id, task=TASK_RELATED)  # decisions reach the JSON-LD

    def segment_related(self, suggestion_id: int, *, k: int = 5, license_compatible: bool = False) -> dict[str, Any]:
        """For the review detail view: catalogue items related to the segment of a suggestion.
        `catalogue_items` is 0 (and nothing is searched) when the catalogue is empty."""
        suggestion = self.store.suggestion(suggestion_id)
        self.resource(suggestion.resource_id)
        if suggestion.segment_id is None:
            raise UserError("this suggestion is about the whole resource, not one segment",
                            hint="see the Related resources tab")
        licence = self.license_in_force(suggestion.resource_id)  # a confirmed licence counts (defect 11)
        if license_compatible and licence is None:
            raise UserError("the licence of this resource is not known yet, so which resources may be combined "
                            "with it cannot be checked",
                            hint="choose its licence under “Licence” in the side bar and tick “I have checked "
                                 "this licence”, or untick “Licence-compatible only”")
        items = self.service.catalogue().stats()["items"]
        if not items:
            return {"catalogue_items": 0, "results": []}
        found = self.service.related_for_segment(suggestion.resource_id, suggestion.segment_id, k=k,
                                                 license_compatible=license_compatible, license=licence).to_json()
        # The UI shows what is related on the catalogue's scale; `adapt related --json` keeps everything.
        shown = [r for r in found["results"] if is_related(r.get("relatedness"))]
        return {"catalogue_items": items, **found, "results": shown, "hidden": len(found["results"]) - len(shown)}

    # -- preview and export: one plan --------------------------------------------------------------------
    def output_languages(self, resource_id: int) -> OutputLanguages:
        """The languages a preview / export can be in, and the default: the newest translating job's target."""
        from adapt.output_language import output_languages

        self.resource(resource_id)
        return output_languages(self.store, resource_id)

    def plan_export(self, resource_id: int, *, target_language: str | None = None,
                    include_unreviewed: bool = False) -> ExportPlan:
        # No language, or one the resource has nothing in: the newest job's target (adapt.output_language).
        target_language = self.output_languages(resource_id).pick(target_language)
        return self.service.plan_export(resource_id, target_language=target_language,
                                        include_unreviewed=include_unreviewed, actor=self.who.name)

    def preview_html(self, resource_id: int, *, target_language: str | None = None,
                     include_unreviewed: bool = False, planned: ExportPlan | None = None) -> str:
        """The adapted document as the export would write it, rendered to sanitized HTML."""
        from adapt.formats import render_document
        from adapt.preview import TEXT_FORMATS, document_preview

        planned = planned or self.plan_export(resource_id, target_language=target_language,
                                              include_unreviewed=include_unreviewed)
        doc = planned.document
        rendered = render_document(doc, planned.plan) if doc.format in TEXT_FORMATS else None
        return document_preview(doc, planned.plan, rendered)

    def export(self, resource_id: int, out: Path, *, target_language: str | None = None,
               include_unreviewed: bool = False) -> ExportResult:
        return self.service.write_export(self.plan_export(resource_id, target_language=target_language,
                                                          include_unreviewed=include_unreviewed), out)

    def metadata(self, resource_id: int, out: Path, *, target_language: str | None = None) -> dict[str, Any]:
        """Write the LRMI JSON-LD of the resource (accepted tags only) to `out`."""
        self.resource(resource_id)
        return self.service.export_metadata(resource_id, out, target_language=target_language)

    def export_bundle(self, resource_id: int, folder: Path, *, target_language: str | None = None,
                      include_unreviewed: bool = False) -> ExportBundle:
        """One export click: plan once, write the file (named after the source and the target language)
        and the JSON-LD beside it from the same plan."""
        planned = self.plan_export(resource_id, target_language=languages.normalise(target_language),
                                   include_unreviewed=include_unreviewed)
        from adapt.export import download_name

        name = Path(planned.resource.source_name)
        lang = planned.plan.target_language or "src"
        # A book or a cartridge is one archive: collection.pt.zip, not a folder named like a file.
        out = Path(folder) / download_name(planned.resource.source_name, planned.resource.format,
                                           planned.plan.target_language)
        file, file_error = None, None
        try:
            file = self.service.write_export(planned, out)
        except AdaptError as exc:
            file_error = exc.one_line()
        meta_out = Path(folder) / f"{name.stem}.{lang}.jsonld"
        metadata, metadata_error = None, None
        try:
            metadata = self.service.export_metadata(resource_id, meta_out, planned=planned)
        except AdaptError as exc:
            metadata_error = exc.one_line()
        return ExportBundle(planned, file, file_error, meta_out if metadata is not None else None, metadata,
                            metadata_error)
