"""The application service: what the CLI and the review UI call. It composes formats, the store, the
pipeline and the model backends; neither front end touches SQL or a model directly.

    AdaptService(settings, store=..., engines=...)
    ├── adapting: import, translate, simplify, tag, related resources, export (one ExportPlan)
    ├── .engines    the models it runs (adapt.engines): `use_translator(...)` gives it one
    ├── .review     suggestions and decisions           .memory    translation memory
    ├── .glossary   glossary projects                   .people    reviewers and logging in
    ├── .licences   the licence guard and attribution   .models    installed translation models
    └── .session(who) -> UserSession: everything a logged-in person does, role-checked in one place
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapt import languages
from adapt.document import Document
from adapt.engines import Engines
from adapt.errors import UserError
from adapt.export import ExportPlan, write_export
from adapt.features import GlossaryFeature, LicenceFeature, MemoryFeature, ModelsFeature, PeopleFeature, ReviewFeature
from adapt.formats import read_document
from adapt.pipeline import Progress, RunSummary, TranslateStep, run_step
from adapt.settings import Settings
from adapt.store import NewResource, Resource, Store, Suggestion

if TYPE_CHECKING:
    from adapt.jobs import JobRunner, JobTask
    from adapt.people import User
    from adapt.session import UserSession
    from adapt.source_language import SourceLanguage
    from adapt.tagging.tagger import Tagger
    from models.simplifiers.base import Simplifier
    from models.translators.base import Translator

DEFAULT_SOURCE_LANGUAGE = "en"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    resource_id: int
    created: bool
    document: Document
    license: str | None = None  # the licence id stored; None when unknown

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.resource_id,
            "created": self.created,
            "license": self.license,
            "format": self.document.format,
            "segments": len(self.document.translatable_segments()),
        }


@dataclass(frozen=True)
class ExportResult:
    path: Path
    bytes_written: int
    export: ExportPlan

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.export.resource.id,
            "out": str(self.path),
            "bytes": self.bytes_written,
            "target_language": self.export.plan.target_language,
            **self.export.stats.to_json(),
            "license": self.export.plan.metadata.get("license"),
            "notices": list(self.export.plan.notices),
            "notes_message": self.export.notes_message,  # set when the notes fell back to English
        }


class AdaptService:
    def __init__(self, settings: Settings | None = None, *, store: Store | None = None,
                 engines: Engines | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.store = store or Store(self.settings.db_path)
        self.engines = engines or Engines(self.settings)
        self.review = ReviewFeature(self.store)
        self.memory = MemoryFeature(self.store, self.settings)
        self.glossary = GlossaryFeature(self.store, self.settings)
        self.people = PeopleFeature(self.store)
        self.licences = LicenceFeature(self.store, self.settings)
        self.models = ModelsFeature(self.settings, self.engines)
        self._job_runner: JobRunner | None = None

    def close(self) -> None:
        self.store.close()

    @property
    def read_only(self) -> bool:
        """The database is on a read-only mount or folder: reads work, every write raises ReadOnlyDatabase."""
        return self.store.read_only

    def session(self, who: User) -> UserSession:
        """What `who` may do, with their role checked on every call (adapt.session)."""
        from adapt.session import UserSession

        return UserSession(self, who)

    # resources -------------------------------------------------------------------------------------
    def read(self, path: Path, *, format_name: str | None = None, max_bytes: int | None = None
             ) -> tuple[Document, bytes]:
        limit = min(max_bytes or self.settings.max_file_bytes, self.settings.max_file_bytes)
        return read_document(Path(path), max_bytes=limit, format_name=format_name)

    def import_document(
        self,
        document: Document,
        data: bytes,
        *,
        language: str | None = None,
        license: str | None = None,
        owner: str | None = None,
        authors: Sequence[str] | None = None,
    ) -> ImportResult:
        from adapt.licenses.guard import finish_import, prepare_import

        licensing = prepare_import(document, license)  # detected, or --license; an unknown id is an error
        meta = {**document.metadata, **licensing.metadata()}
        if not language and not meta.get("language"):
            # The file does not say: detect it (kept only when sure), and keep what was found and how.
            from adapt.source_language import detect_source_language

            found = detect_source_language(seg.plain_text() for seg in document.translatable_segments())
            meta["source_language"] = found.to_json()
            language = found.language  # English when unsure, as translating would use
        new = NewResource(
            format=document.format,
            source_name=document.source_name,
            source_bytes=data,
            language=languages.normalise(language) or languages.try_normalise(meta.get("language")),
            title=meta.get("title"),
            license=licensing.license_id,
            metadata=meta,
            owner=owner,
        )
        resource_id, created = self.store.add_resource(new, document.segments)
        finish_import(self.store, resource_id, created, licensing)
        if authors:
            self.licences.set_authors(resource_id, authors, actor=owner or self.settings.actor())
        return ImportResult(resource_id, created, document, licensing.license_id)

    def import_file(
        self,
        path: Path,
        *,
        format_name: str | None = None,
        language: str | None = None,
        license: str | None = None,
        owner: str | None = None,
        authors: Sequence[str] | None = None,
    ) -> ImportResult:
        document, data = self.read(path, format_name=format_name)
        return self.import_document(document, data, language=language, license=license, owner=owner,
                                    authors=authors)

    def resource(self, resource_id: int) -> Resource:
        return self.store.resource(resource_id)

    def resources(self, owner: str | None = None) -> list[Resource]:
        return self.store.resources(owner)

    def source_language(self, stated: str | None, document_language: str | None = None) -> str:
        """The source language of a run: as stated (--from), else the file's, else English."""
        return languages.normalise(stated) or languages.normalise(document_language) or DEFAULT_SOURCE_LANGUAGE

    # adapting --------------------------------------------------------------------------------------
    def translator(self, engine: str | None = None, **options: Any) -> Translator:
        """The translator for an engine, built once per service and kept loaded (adapt.engines)."""
        return self.engines.translator(engine, **options)

    def check_pair(self, translator: Translator, source: str, target: str) -> None:
        """Raise UnsupportedLanguagePair unless the translator can do source→target (jobs check this too)."""
        self.engines.check_pair(translator, source, target)

    def translate_file(
        self,
        path: Path,
        *,
        target: str,
        source: str | None = None,
        engine: str | None = None,
        format_name: str | None = None,
        license: str | None = None,
        owner: str | None = None,
        progress: Progress | None = None,
        assume_license: str | None = None,
        authors: Sequence[str] | None = None,
        model: str | None = None,
        memory: bool = True,
        glossary: str | None = "default",
        simplify: str | float | None = None,
        simplifier: str | None = None,
        simplifier_model: str | None = None,
    ) -> RunSummary:
        """Import a file and translate it. Everything is checked before anything is written.

        With `simplify` (a level such as "grade:6") the English source is simplified first and each
        segment is translated from its simplification (see `simplify_then_translate`)."""
        from adapt.licenses.guard import preflight
        from adapt.source_language import resolve_source_language

        document, data = self.read(path, format_name=format_name)
        stated = document.metadata.get("language")
        if not source and not stated:  # the file does not say: detect it (English when unsure)
            stated = resolve_source_language(None, None, (seg.plain_text() for seg in document.translatable_segments())
                                             ).language
        source_language = self.source_language(source, stated)
        target = languages.parse(target)
        translator = self.translator(engine, model=model)
        self.check_pair(translator, source_language, target)
        if simplify is not None:
            from adapt.simplify import check_simplify_language, parse_level

            parse_level(simplify)
            check_simplify_language(source_language)
            preflight(self.store, document, data, "simplify", license=license, assume_license=assume_license)
        preflight(self.store, document, data, "translate", license=license, assume_license=assume_license)
        imported = self.import_document(document, data, language=source, license=license, owner=owner,
                                        authors=authors)
        if simplify is not None:
            return self.simplify_then_translate(
                imported.resource_id, level=simplify, target=target, source=source_language, engine=engine,
                simplifier=simplifier, model=simplifier_model, progress=progress, assume_license=assume_license,
                actor=owner, translation_model=model, memory=memory, glossary=glossary,
            )
        return self.translate_resource(imported.resource_id, target=target, source=source_language, engine=engine,
                                       progress=progress, assume_license=assume_license, actor=owner,
                                       model=model, memory=memory, glossary=glossary)

    def translate_resource(
        self,
        resource_id: int,
        *,
        target: str,
        source: str | None = None,
        engine: str | None = None,
        progress: Progress | None = None,
        assume_license: str | None = None,
        actor: str | None = None,
        model: str | None = None,
        memory: bool = True,
        glossary: str | None = "default",
    ) -> RunSummary:
        """Translate a stored resource. By default the translation memory (reviewed translations, TMX
        imports) and the glossary project `glossary` take part; `memory=False` / `glossary=None` turn
        them off."""
        resource = self.store.resource(resource_id)
        source_language = self.source_language(
            source, resource.language or self.resource_source_language(resource_id).language)
        target = languages.parse(target)
        translator = self.translator(engine, model=model)
        self.check_pair(translator, source_language, target)
        check = self.licences.check(resource, "translate", assume_license, actor=actor)
        step = self._translate_step(resource_id, translator, source_language, target, memory=memory, glossary=glossary)
        return run_step(self.store, resource_id, step, segments=self.licences.adaptable_segments(resource_id, check),
                        progress=progress)

    def resource_source_language(self, resource_id: int, given: str | None = None) -> SourceLanguage:
        """The language a resource is translated from (`adapt.source_language.SourceLanguage`): `given`,
        else what the file stated, else detected from its text when sure, else English, with a note saying which."""
        from adapt.source_language import SourceLanguage, detect_source_language, resolve_source_language

        resource = self.store.resource(resource_id)
        if given:
            return resolve_source_language(given, None, ())
        found = resource.metadata.get("source_language") if isinstance(resource.metadata, dict) else None
        if resource.language:
            if (isinstance(found, dict) and found.get("origin") in ("detected", "default")
                    and found.get("language") == resource.language):
                return SourceLanguage(resource.language, str(found["origin"]), found.get("confidence"),
                                      found.get("runner_up"), found.get("note", ""))
            return resolve_source_language(None, resource.language, ())
        return detect_source_language(r.source_text for r in self.store.segments(resource_id) if r.translatable)

    def _translate_step(self, resource_id: int, translator: Any, source: str, target: str, *, memory: bool,
                        glossary: str | None) -> TranslateStep:
        """The translation step with the resource's licence checks, the memory and the glossary."""
        from adapt.glossary import load_glossary
        from adapt.memory import load_memory

        previous = [(s.segment_id, s) for s in self.store.suggestions(resource_id, task="translate")
                    if s.target_language == target and s.segment_id is not None]
        rejected: dict[int, set[str]] = {}
        for segment_id, s in previous:
            if s.status == "rejected":
                rejected.setdefault(segment_id, set()).add(s.text)
        return TranslateStep(
            translator, source=source, target=target, extra_checks=self.licences.credit_checks(resource_id),
            memory=load_memory(self.store, source, target) if memory else None,
            glossary=load_glossary(self.store, glossary, source, target) if glossary else None,
            # Memory is offered on every run (reviewed work and imports grow between runs) to segments no
            # reviewer has settled; add_suggestions never stores a text the segment already has in any
            # status, so a rerun adds only new matches and a rejected one does not come back.
            decided_segments={segment_id for segment_id, s in previous if s.status in ("accepted", "edited")},
            rejected=rejected,
        )

    # export ----------------------------------------------------------------------------------------
    def plan_export(
        self,
        resource_id: int,
        *,
        target_language: str | None = None,
        include_unreviewed: bool = False,
        license: str | None = None,
        assume_license: str | None = None,
        actor: str | None = None,
    ) -> ExportPlan:
        """The one export plan (adapt.export_plan): what preview, export and the metadata show. Planning
        reads and never writes; the licence guard runs again when anything was adapted."""
        from adapt.export_plan import build_export_plan

        return build_export_plan(
            self.store, resource_id, target_language=languages.normalise(target_language),
            include_unreviewed=include_unreviewed, export_license=license, assume_license=assume_license,
            actor=actor or self.settings.actor(),
        )

    def write_export(self, planned: ExportPlan, out: Path) -> ExportResult:
        """Write a planned export to `out` (a file; a folder or .zip for books and cartridges)."""
        if not planned.plan.replacements and not planned.plan.unreviewed:
            # Segment suggestions only: tags are about the resource and go into its metadata, not the file.
            pending = sum(1 for s in self.store.suggestions(planned.resource.id, status="pending")
                          if s.segment_id is not None)
            if pending:
                raise UserError(
                    f"nothing in resource {planned.resource.id} has been accepted yet ({pending} suggestions pending)",
                    hint="review them (adapt accept / edit / reject) or pass --include-unreviewed",
                )
        data = write_export(planned, Path(out))
        return ExportResult(Path(out), len(data), planned)

    def export(
        self,
        resource_id: int,
        out: Path,
        *,
        target_language: str | None = None,
        include_unreviewed: bool = False,
        license: str | None = None,
        assume_license: str | None = None,
        actor: str | None = None,
    ) -> ExportResult:
        planned = self.plan_export(resource_id, target_language=target_language, include_unreviewed=include_unreviewed,
                                   license=license, assume_license=assume_license, actor=actor)
        return self.write_export(planned, out)

    def metadata(self, resource_id: int, *, target_language: str | None = None,
                 planned: ExportPlan | None = None) -> dict[str, Any]:
        """The LRMI JSON-LD of a resource (accepted tags only); with `planned`, of that export plan
        (its resource and attribution are used, not read or built again)."""
        from adapt.metadata import build_jsonld

        if planned is not None:
            target = planned.plan.target_language or languages.normalise(target_language)
            return build_jsonld(self.store, planned.resource, target_language=target,
                                attribution=planned.attribution)
        return build_jsonld(self.store, resource_id, target_language=languages.normalise(target_language))

    def export_metadata(self, resource_id: int, out: Path, *, target_language: str | None = None,
                        planned: ExportPlan | None = None) -> dict[str, Any]:
        from adapt.metadata import write_jsonld

        doc = self.metadata(resource_id, target_language=target_language, planned=planned)
        write_jsonld(doc, Path(out))
        return doc

    # -- simplification and tagging ------------------------------------------------------------------
    def simplifier(self, name: str | None = None, *, model: str | None = None) -> Simplifier:
        """A simplifier by name (llm, rules), built once per service and kept loaded (adapt.engines)."""
        return self.engines.simplifier(name, model=model)

    def simplify_resource(self, resource_id: int, *, level: str | float, simplifier: str | None = None,
                          model: str | None = None, keep_terms: Sequence[str] = (),
                          progress: Progress | None = None, assume_license: str | None = None,
                          actor: str | None = None):
        """Simplify a resource's segments above `level`; guard every output (adapt.simplify)."""
        from adapt.simplify import SimplifyStep, parse_level, run_simplify
        from adapt.simplify_guards import MEANING_EMBEDDER

        grade = parse_level(level)
        resource = self.store.resource(resource_id)
        step = SimplifyStep(self.simplifier(simplifier, model=model), target_grade=grade,
                            language=resource.language or DEFAULT_SOURCE_LANGUAGE,
                            embedder=self.engines.embedder(MEANING_EMBEDDER), keep_terms=keep_terms,
                            extra_checks=self.licences.credit_checks(resource_id))
        check = self.licences.check(resource, "simplify", assume_license, actor=actor)
        return run_simplify(self.store, resource_id, step,
                            segments=self.licences.adaptable_segments(resource_id, check), progress=progress)

    def simplify_file(self, path: Path, *, level: str | float, language: str | None = None,
                      simplifier: str | None = None, model: str | None = None, keep_terms: Sequence[str] = (),
                      format_name: str | None = None, license: str | None = None, owner: str | None = None,
                      progress: Progress | None = None, assume_license: str | None = None,
                      authors: Sequence[str] | None = None):
        """Import a file and simplify it. Everything is checked before anything is written."""
        from adapt.licenses.guard import preflight
        from adapt.simplify import check_simplify_language, parse_level

        parse_level(level)
        document, data = self.read(path, format_name=format_name)
        source_language = self.source_language(language, document.metadata.get("language"))
        check_simplify_language(source_language)
        preflight(self.store, document, data, "simplify", license=license, assume_license=assume_license)
        imported = self.import_document(document, data, language=source_language, license=license, owner=owner,
                                        authors=authors)
        return self.simplify_resource(imported.resource_id, level=level, simplifier=simplifier, model=model,
                                      keep_terms=keep_terms, progress=progress, assume_license=assume_license,
                                      actor=owner)

    def simplify_then_translate(self, resource_id: int, *, level: str | float, target: str,
                                source: str | None = None, engine: str | None = None,
                                simplifier: str | None = None, model: str | None = None,
                                progress: Progress | None = None, assume_license: str | None = None,
                                actor: str | None = None, translation_model: str | None = None,
                                memory: bool = True, glossary: str | None = "default") -> RunSummary:
        """Simplify the (English) source, then translate each segment from its simplification.

        The translation suggestions record the simplified text as their source_text, so the reviewer
        sees exactly what was translated; segments not simplified are translated from their own text."""
        from adapt.simplify import simplified_inputs

        resource = self.store.resource(resource_id)
        source_language = self.source_language(source, resource.language)
        target = languages.parse(target)
        translator = self.translator(engine, model=translation_model)
        self.check_pair(translator, source_language, target)
        check = self.licences.check(resource, "translate", assume_license, actor=actor)
        self.simplify_resource(resource_id, level=level, simplifier=simplifier, model=model,
                               assume_license=assume_license, actor=actor)
        allowed = {s.segment_id for s in self.licences.adaptable_segments(resource_id, check)}
        segments = [s for s in simplified_inputs(self.store, resource_id, source_language) if s.segment_id in allowed]
        step = self._translate_step(resource_id, translator, source_language, target, memory=memory, glossary=glossary)
        return run_step(self.store, resource_id, step, segments=segments, progress=progress)

    def readability(self, resource_id: int):
        """Per segment and whole-document readability of a resource's source text."""
        from adapt.simplify import segment_readability

        resource = self.store.resource(resource_id)
        return segment_readability(self.store, resource_id, resource.language or DEFAULT_SOURCE_LANGUAGE)

    def tagger(self, embedder: str | None = None) -> Tagger:
        """The tagger (e5 by default), built once per service: its label vectors stay loaded."""
        return self.engines.tagger(embedder)

    def tag_resource(self, resource_id: int, *, context: Path | None = None, embedder: str | None = None,
                     progress: Progress | None = None):
        """Suggest tags for a stored resource; `context` is a file whose text steers the subject (its book).
        Also a background job task (adapt.jobs calls it with `progress`)."""
        from adapt.tagging.run import tag_resource
        from adapt.tagging.tagger import plain_texts

        context_doc = self.read(Path(context))[0] if context else None
        context_texts = plain_texts(context_doc) if context_doc is not None else None
        # The book's title is the strongest single clue to its subject (README "Tagging that generalises").
        context_title = context_doc.metadata.get("title") if context_doc is not None else None
        return tag_resource(self.store, resource_id, self.tagger(embedder), context_texts=context_texts,
                            context_title=context_title, progress=progress)

    def tag_translation(self, resource_id: int, target_language: str, *, embedder: str | None = None,
                        progress: Progress | None = None):
        """Keywords and reading level of the accepted translation into `target_language` (issue 16)."""
        from adapt.tagging.adaptation import tag_translation
        from adapt.tagging.bcp47 import check_language_tag

        return tag_translation(self.store, resource_id, check_language_tag(target_language), self.tagger(embedder),
                               progress=progress)

    def tag_file(self, path: Path, *, context: Path | None = None, embedder: str | None = None,
                 language: str | None = None, license: str | None = None, owner: str | None = None,
                 progress: Progress | None = None):
        imported = self.import_file(path, language=language, license=license, owner=owner)
        return self.tag_resource(imported.resource_id, context=context, embedder=embedder, progress=progress)

    def tags(self, resource_id: int, *, status: str | None = None) -> list[Suggestion]:
        from adapt.tagging.run import tag_suggestions

        return tag_suggestions(self.store, resource_id, status=status)

    # -- related resources ---------------------------------------------------------------------------
    def catalogue(self, embedder: str | None = None):
        """The related-resources catalogue for an embedder (default: models.embedders.DEFAULT_EMBEDDER).
        Its index lives in a folder beside the database (`<db>.index/`; Settings.index_folder)."""
        from adapt.catalogue.catalogue import Catalogue
        from models.embedders import DEFAULT_EMBEDDER

        name = embedder or DEFAULT_EMBEDDER
        folder = self.settings.index_folder()
        return self.engines.kept("catalogue", name,
                                 lambda: Catalogue(self.store, self.engines.embedder(name), index_folder=folder))

    def catalog_add(self, paths: Sequence[Path], *, resources: Sequence[int] = (), language: str | None = None,
                    license: str | None = None, skip_bad: bool = False, embedder: str | None = None,
                    progress: Progress | None = None):
        """Add files, folders, JSONL catalogues and review resources to the catalogue; unchanged ones cost nothing."""
        from adapt.related import resource_entry

        catalogue = self.catalogue(embedder)
        report = catalogue.add_paths(list(paths), max_bytes=self.settings.max_file_bytes, language=language,
                                     license=license, skip_bad=skip_bad, progress=progress) if paths else None
        if resources:
            more = catalogue.add([resource_entry(self.store, r) for r in resources])
            if report is None:
                return more
            for name in ("added", "updated", "relabelled", "unchanged", "duplicates", "passages", "embedded"):
                setattr(report, name, getattr(report, name) + getattr(more, name))
            report.item_ids += more.item_ids
        return report or catalogue.add([])

    def related(self, target: Path | int | str, *, k: int = 10, language: str | None = None,
                license_compatible: bool = False, license: str | None = None, embedder: str | None = None):
        """Catalogue items related to a file, a review resource (int) or a catalogue item ("item:N")."""
        from adapt import related as ops

        catalogue = self.catalogue(embedder)
        language = languages.normalise(language)
        if isinstance(target, str) and target.startswith("item:") and target[5:].isdigit():
            return ops.related_to_item(catalogue, int(target[5:]), k=k, language=language,
                                       license_compatible=license_compatible, license=license)
        if isinstance(target, int):
            return ops.related_to_resource(catalogue, self.store, target, k=k, language=language,
                                           license_compatible=license_compatible, license=license)
        document, _ = self.read(Path(target))
        return ops.related_to_document(catalogue, document, Path(target), k=k, language=language,
                                       license_compatible=license_compatible, license=license)

    def prepare_related(self, resource_id: int, *, embedder: str | None = None) -> int:
        """Embed all segments of a resource in one batch (call when the review UI opens it): every
        `related_for_segment` on it is then a search only. Returns how many were embedded now."""
        from adapt.related import prepare_resource

        return prepare_resource(self.catalogue(embedder), self.store, resource_id)

    def related_for_segment(self, resource_id: int, segment: str | int, *, k: int = 5, language: str | None = None,
                            license_compatible: bool = False, license: str | None = None,
                            embedder: str | None = None):
        """For the review UI: catalogue items related to one segment (key or id) of a review resource."""
        from adapt.related import related_to_segment

        return related_to_segment(self.catalogue(embedder), self.store, resource_id, segment, k=k,
                                  language=language, license_compatible=license_compatible, license=license)


    def store_related(self, resource_id: int, results: Sequence[dict[str, Any]]) -> RunSummary:
        """Keep catalogue search results as reviewable suggestions (task "related", about the whole
        resource) through the step runner: results already stored are not added again."""
        from adapt.pipeline import SegmentInput
        from adapt.related import RelatedStep

        resource = self.store.resource(resource_id)
        step = RelatedStep(resource, results, self.catalogue().embedder.signature().to_json())
        return run_step(self.store, resource_id, step, segments=[SegmentInput(resource_id, 0, "", "resource", "")],
                        batch_size=1)

    # -- background jobs (the review UI) ------------------------------------------------------------
    def job_tasks(self) -> dict[str, JobTask]:
        from adapt.jobs import job_tasks

        return job_tasks(self)

    def start_job_runner(self, *, poll_seconds: float = 1.0) -> JobRunner:
        from adapt.jobs import JobRunner

        if self._job_runner is None:
            self._job_runner = JobRunner(self, poll_seconds=poll_seconds)
            self._job_runner.start()
        return self._job_runner

    def stop_job_runner(self) -> None:
        if self._job_runner is not None:
            self._job_runner.stop()
            self._job_runner = None

    def wake_job_runner(self) -> None:
        if self._job_runner is not None:
            self._job_runner.wake()
