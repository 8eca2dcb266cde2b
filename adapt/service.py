"""The application service: what the CLI and the review UI call. It composes formats, the store, the
pipeline and the model backends; neither front end touches SQL or a model directly."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapt.document import Document
from adapt.errors import UserError
from adapt.export import ExportPlan, plan_export, write_export
from adapt.formats import read_document
from adapt.pipeline import Progress, RunSummary, TranslateStep, run_step
from adapt.settings import Settings
from adapt.store import NewResource, Resource, Store, Suggestion

DEFAULT_SOURCE_LANGUAGE = "en"


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
        }


class AdaptService:
    def __init__(self, settings: Settings | None = None, *, store: Store | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.store = store or Store(self.settings.db_path)
        self._translators: dict[tuple[str, tuple], Any] = {}

    def close(self) -> None:
        self.store.close()

    # models ----------------------------------------------------------------------------------------
    def translator(self, engine: str | None = None, **options: Any):
        """The translator for an engine, built once per service and kept loaded."""
        from models.translators import get_translator

        name = engine or self.settings.default_engine
        options = {k: v for k, v in options.items() if v is not None}
        key = (name, tuple(sorted(options.items())))
        if key not in self._translators:
            self._translators[key] = get_translator(name, settings=self.settings, **options)
        return self._translators[key]

    # resources -------------------------------------------------------------------------------------
    def read(self, path: Path, *, format_name: str | None = None) -> tuple[Document, bytes]:
        return read_document(Path(path), max_bytes=self.settings.max_file_bytes, format_name=format_name)

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
        new = NewResource(
            format=document.format,
            source_name=document.source_name,
            source_bytes=data,
            language=language or meta.get("language"),
            title=meta.get("title"),
            license=licensing.license_id,
            metadata=meta,
            owner=owner,
        )
        resource_id, created = self.store.add_resource(new, document.segments)
        finish_import(self.store, resource_id, created, licensing)
        if authors:
            self.set_authors(resource_id, authors, actor=owner or self.settings.actor())
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

    # adapting --------------------------------------------------------------------------------------
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
    ) -> RunSummary:
        """Import a file and translate it. Everything is checked before anything is written."""
        from adapt.licenses.guard import preflight

        document, data = self.read(path, format_name=format_name)
        source_language = source or document.metadata.get("language") or DEFAULT_SOURCE_LANGUAGE
        translator = self.translator(engine, model=model)
        self._check_pair(translator, source_language, target)
        preflight(self.store, document, data, "translate", license=license, assume_license=assume_license)
        imported = self.import_document(document, data, language=source_language, license=license, owner=owner,
                                        authors=authors)
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
        from adapt.glossary import load_glossary
        from adapt.memory import load_memory

        resource = self.store.resource(resource_id)
        source_language = source or resource.language or DEFAULT_SOURCE_LANGUAGE
        translator = self.translator(engine, model=model)
        self._check_pair(translator, source_language, target)
        check = self.check_adaptation(resource, "translate", assume_license, actor=actor)
        step = TranslateStep(
            translator, source=source_language, target=target, extra_checks=self.licence_checks(resource_id),
            memory=load_memory(self.store, source_language, target) if memory else None,
            glossary=load_glossary(self.store, glossary, source_language, target) if glossary else None,
            # Memory is offered when a segment is first translated, so rerunning a model stays idempotent.
            decided_segments={s.segment_id for s in self.store.suggestions(resource_id, task="translate")
                              if s.target_language == target and s.segment_id},
        )
        return run_step(self.store, resource_id, step, segments=self.adaptable_segments(resource_id, check),
                        progress=progress)

    @staticmethod
    def _check_pair(translator: Any, source: str, target: str) -> None:
        if not translator.supports(source, target):
            from adapt.errors import UnsupportedLanguagePair

            pairs = ", ".join(f"{a}→{b}" for a, b in translator.pairs()) or "none installed"
            raise UnsupportedLanguagePair(
                f"the {translator.name} engine cannot translate {source}→{target} (it has {pairs})",
                hint="choose another --engine or install a model (`adapt models list`)",
            )

    # review ----------------------------------------------------------------------------------------
    def suggestions(self, resource_id: int, *, status: str | None = None, task: str | None = None) -> list[Suggestion]:
        return self.store.suggestions(resource_id, status=status, task=task)

    def suggestion(self, suggestion_id: int) -> Suggestion:
        return self.store.suggestion(suggestion_id)

    def accept(self, ids: Sequence[int], *, actor: str, expected_version: int | None = None) -> list[Suggestion]:
        return [self.store.accept(i, actor=actor, expected_version=expected_version) for i in ids]

    def reject(self, ids: Sequence[int], *, actor: str, expected_version: int | None = None) -> list[Suggestion]:
        return [self.store.reject(i, actor=actor, expected_version=expected_version) for i in ids]

    def edit(self, suggestion_id: int, text: str, *, actor: str, expected_version: int | None = None) -> Suggestion:
        return self.store.edit(suggestion_id, text, actor=actor, expected_version=expected_version)

    def undo(self, suggestion_id: int, *, actor: str, expected_version: int | None = None) -> Suggestion:
        return self.store.undo(suggestion_id, actor=actor, expected_version=expected_version)

    def accept_all(
        self, resource_id: int, *, actor: str, only_unflagged: bool = False, suggestion_ids: Sequence[int] | None = None
    ) -> list[int]:
        return self.store.accept_all(
            resource_id, actor=actor, only_unflagged=only_unflagged, suggestion_ids=suggestion_ids
        )

    def preview(self, suggestion: Suggestion) -> str:
        """A suggestion's current text with its markup restored, as it would be exported."""
        from adapt.document import Placeholder, restore_placeholders

        if suggestion.segment_id is None:
            return suggestion.current_text
        record = next(r for r in self.store.segments(suggestion.resource_id) if r.id == suggestion.segment_id)
        phs = [Placeholder.from_json(p) for p in record.placeholders]
        return restore_placeholders(
            suggestion.current_text, phs, atom=lambda p: p.raw, pair=lambda p: (p.raw, p.close)
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
        """The export with its attribution: the licence guard runs again when anything was adapted."""
        from adapt.licenses.export import plan_licensed_export

        return plan_licensed_export(
            self.store, resource_id, target_language=target_language, include_unreviewed=include_unreviewed,
            export_license=license, assume_license=assume_license, actor=actor or self.settings.actor(),
        )

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
        if not planned.plan.replacements and not include_unreviewed:
            pending = len(self.store.suggestions(resource_id, status="pending"))
            if pending:
                raise UserError(
                    f"nothing in resource {resource_id} has been accepted yet ({pending} suggestions pending)",
                    hint="review them (adapt accept / edit / reject) or pass --include-unreviewed",
                )
        data = write_export(planned, Path(out))
        return ExportResult(Path(out), len(data), planned)

    # -- translation memory and glossary (issue: translation engines) -------------------------------
    def model_catalogue(self) -> list[tuple[Any, bool]]:
        from models.catalogue import catalogue

        return catalogue(self.settings.data_dir)

    def argos_packages(self) -> list[Any]:
        from models.translators.argos import installed_packages

        return installed_packages(self.settings.data_dir)

    def install_argos_file(self, path: Path) -> Any:
        from models.translators.argos import install_file

        installed = install_file(Path(path), self.settings.data_dir, max_unpacked_bytes=self.settings.max_unpacked_bytes)
        self._translators = {k: v for k, v in self._translators.items() if k[0] != "argos"}
        return installed

    def install_argos_pair(self, source: str, target: str) -> Any:
        from models.translators.argos import install_from_index

        installed = install_from_index(source, target, self.settings.data_dir)
        self._translators = {k: v for k, v in self._translators.items() if k[0] != "argos"}
        return installed

    def memory_import(self, path: Path, *, source_language: str | None = None, actor: str = "") -> Any:
        from adapt.memory import import_tmx

        return import_tmx(self.store, Path(path), source_language=source_language, actor=actor,
                          max_bytes=self.settings.max_file_bytes)

    def memory_export(self, out: Path, *, source_language: str | None = None, target_language: str | None = None) -> int:
        from adapt.memory import export_tmx

        return export_tmx(self.store, Path(out), source_language=source_language, target_language=target_language)

    def memory_lookup(self, text: str, *, source_language: str, target_language: str) -> list[Any]:
        """Exact and fuzzy memory matches for a text (with placeholders), best first."""
        from adapt.memory import load_memory

        tm = load_memory(self.store, source_language, target_language)
        exact = tm.exact(text)
        return ([exact] if exact else []) + tm.fuzzy(text, limit=5)

    def memory_stats(self) -> Any:
        from adapt.memory import memory_stats

        return memory_stats(self.store)

    def glossary_import(self, path: Path, *, project: str = "default", source_language: str = "en",
                        target_language: str | None = None, actor: str = "") -> Any:
        from adapt.glossary import import_file

        return import_file(self.store, Path(path), project=project, source_language=source_language,
                           target_language=target_language, actor=actor, max_bytes=self.settings.max_file_bytes)

    def glossary_add(self, term: Any, *, actor: str = "") -> tuple[int, int]:
        from adapt.glossary import add_terms

        return add_terms(self.store, [term], actor=actor)

    def glossary_terms(self, project: str | None = None) -> list[Any]:
        from adapt.glossary import list_terms

        return list_terms(self.store, project)

    def glossary_remove(self, term_id: int) -> Any:
        from adapt.glossary import remove_term

        return remove_term(self.store, term_id)

    # -- simplification and tagging ------------------------------------------------------------------

    # -- related resources ---------------------------------------------------------------------------

    # -- people and permissions (review UI) ----------------------------------------------------------

    # -- licences and attribution --------------------------------------------------------------------
    # The logic is in adapt.licenses (guard, detection, policy) and adapt.attribution; these are the doors.
    def check_adaptation(
        self, resource: Any, action: str, assume_license: str | None = None, *, actor: str | None = None,
        export_license: str | None = None,
    ):
        """Allow `action` (translate, simplify, tag, export) on a resource, or raise LicenseError
        (LicenseConfirmationRequired: the source states no licence, pass `assume_license` to confirm one;
        it is recorded with `actor` and holds for later actions). Returns a LicenseCheck whose `blocked`
        segments an adapting step must skip (see `adaptable_segments`)."""
        from adapt.licenses.guard import check_adaptation

        return check_adaptation(self.store, resource, action, assume_license=assume_license,
                                actor=actor or self.settings.actor(), export_license=export_license)

    def adaptable_segments(self, resource_id: int, check: Any = None) -> list:
        """The SegmentInputs an adapting step may work on: not kept out by their own licence."""
        from adapt.licenses.guard import adaptable_segments

        return adaptable_segments(self.store, resource_id, check.blocked if check is not None else None)

    def licence_checks(self, resource_id: int) -> list:
        """QA checks every adapting step adds: a credit of a figure or photo must survive."""
        from adapt.licenses.credits import credit_check, resource_credits

        credits = resource_credits(self.store, resource_id)
        return [credit_check(credits)] if credits else []

    def license_report(self, resource_id: int) -> dict[str, Any]:
        from adapt.licenses.report import license_report

        return license_report(self.store, resource_id)

    def set_license(self, resource_id: int, license: str, *, actor: str | None = None):
        from adapt.licenses.guard import set_license

        return set_license(self.store, resource_id, license, actor=actor or self.settings.actor())

    def set_authors(self, resource_id: int, names: Sequence[str], *, actor: str | None = None) -> None:
        from adapt.attribution import set_authors

        set_authors(self.store, resource_id, names, actor=actor or self.settings.actor())

    def set_source_url(self, resource_id: int, url: str, *, actor: str | None = None) -> None:
        from adapt.attribution import set_source_url

        set_source_url(self.store, resource_id, url, actor=actor or self.settings.actor())

    def attribution(self, resource_id: int, *, target_language: str | None = None,
                    include_unreviewed: bool = False):
        from adapt.attribution import attribution

        return attribution(self.store, resource_id, target_language=target_language,
                           include_unreviewed=include_unreviewed)



def open_service(db: Path | None = None, **overrides: Any) -> AdaptService:
    settings = Settings.from_env(db_path=db, **overrides)
    return AdaptService(settings)


ProgressFactory = Callable[[str], Progress]
