"""The application service: what the CLI and the review UI call. It composes formats, the store, the
pipeline and the model backends; neither front end touches SQL or a model directly."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapt.document import Document
from adapt.errors import PermissionDenied, UserError
from adapt.export import ExportPlan, plan_export, write_export
from adapt.formats import read_document
from adapt.login_guard import LoginGuard
from adapt.pipeline import Progress, RunSummary, TranslateStep, run_step
from adapt.settings import Settings
from adapt.store import NewResource, Resource, Store, Suggestion

if TYPE_CHECKING:
    from adapt.people import User

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
        }


class AdaptService:
    def __init__(self, settings: Settings | None = None, *, store: Store | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.store = store or Store(self.settings.db_path)
        # Loaded models, one per kind and key for the service's life (see `_kept`).
        self._translators: dict[tuple[str, tuple], Any] = {}
        self._simplifiers: dict[tuple[str | None, str | None], Any] = {}
        self._taggers: dict[str, Any] = {}
        self._catalogues: dict[str, Any] = {}
        self.login_throttle = LoginGuard(self.store)  # per name, client and device; kept in the database
        self._loading = threading.RLock()

    def close(self) -> None:
        self.store.close()

    # models ----------------------------------------------------------------------------------------
    def translator(self, engine: str | None = None, **options: Any):
        """The translator for an engine, built once per service and kept loaded."""
        from models.translators import get_translator

        name = engine or self.settings.default_engine
        options = {k: v for k, v in options.items() if v is not None}
        key = (name, tuple(sorted(options.items())))
        return self._kept(self._translators, key, lambda: get_translator(name, settings=self.settings, **options))

    def _kept(self, cache: dict, key: Any, build: Callable[[], Any]) -> Any:
        """`cache[key]`, built on first use. The lock makes it once even when two UI requests ask at the same
        moment (a second model load would cost seconds and hundreds of MB)."""
        with self._loading:
            if key not in cache:
                cache[key] = build()
            return cache[key]

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
        simplify: str | float | None = None,
        simplifier: str | None = None,
        simplifier_model: str | None = None,
    ) -> RunSummary:
        """Import a file and translate it. Everything is checked before anything is written.

        With `simplify` (a level such as "grade:6") the English source is simplified first and each
        segment is translated from its simplification (see `simplify_then_translate`)."""
        from adapt.licenses.guard import preflight

        document, data = self.read(path, format_name=format_name)
        source_language = source or document.metadata.get("language") or DEFAULT_SOURCE_LANGUAGE
        translator = self.translator(engine, model=model)
        self._check_pair(translator, source_language, target)
        if simplify is not None:
            from adapt.simplify import check_simplify_language, parse_level

            parse_level(simplify)
            check_simplify_language(source_language)
            preflight(self.store, document, data, "simplify", license=license, assume_license=assume_license)
        preflight(self.store, document, data, "translate", license=license, assume_license=assume_license)
        imported = self.import_document(document, data, language=source_language, license=license, owner=owner,
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
        source_language = source or resource.language or DEFAULT_SOURCE_LANGUAGE
        translator = self.translator(engine, model=model)
        self._check_pair(translator, source_language, target)
        check = self.check_adaptation(resource, "translate", assume_license, actor=actor)
        step = self._translate_step(resource_id, translator, source_language, target, memory=memory, glossary=glossary)
        return run_step(self.store, resource_id, step, segments=self.adaptable_segments(resource_id, check),
                        progress=progress)

    def _translate_step(self, resource_id: int, translator: Any, source: str, target: str, *, memory: bool,
                        glossary: str | None) -> TranslateStep:
        """The translation step with the resource's licence checks, the memory and the glossary."""
        from adapt.glossary import load_glossary
        from adapt.memory import load_memory

        previous = [s for s in self.store.suggestions(resource_id, task="translate")
                    if s.target_language == target and s.segment_id]
        rejected: dict[int, set[str]] = {}
        for s in previous:
            if s.status == "rejected":
                rejected.setdefault(s.segment_id, set()).add(s.text)
        return TranslateStep(
            translator, source=source, target=target, extra_checks=self.licence_checks(resource_id),
            memory=load_memory(self.store, source, target) if memory else None,
            glossary=load_glossary(self.store, glossary, source, target) if glossary else None,
            # Memory is offered on every run (reviewed work and imports grow between runs) to segments no
            # reviewer has settled; add_suggestions never stores a text the segment already has in any
            # status, so a rerun adds only new matches and a rejected one does not come back.
            decided_segments={s.segment_id for s in previous if s.status in ("accepted", "edited")},
            rejected=rejected,
        )

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
            # Segment suggestions only: tags are about the resource and go into its metadata, not the file.
            pending = sum(1 for s in self.store.suggestions(resource_id, status="pending") if s.segment_id is not None)
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
    def simplifier(self, name: str | None = None, *, model: str | None = None):
        """A simplifier by name (llm, rules), built once per service and kept loaded."""
        from models.simplifiers import get_simplifier

        return self._kept(self._simplifiers, (name, model),
                          lambda: get_simplifier(name, model=model, cache_dir=self.settings.cache_dir))

    def simplify_resource(self, resource_id: int, *, level: str | float, simplifier: str | None = None,
                          model: str | None = None, keep_terms: Sequence[str] = (),
                          progress: Progress | None = None, assume_license: str | None = None,
                          actor: str | None = None):
        """Simplify a resource's segments above `level`; guard every output (adapt.simplify)."""
        from adapt.simplify import SimplifyStep, run_simplify, parse_level
        from adapt.simplify_guards import MEANING_EMBEDDER
        from models.embedders import get_embedder

        grade = parse_level(level)
        resource = self.store.resource(resource_id)
        step = SimplifyStep(self.simplifier(simplifier, model=model), target_grade=grade,
                            language=resource.language or DEFAULT_SOURCE_LANGUAGE,
                            embedder=get_embedder(MEANING_EMBEDDER), keep_terms=keep_terms,
                            extra_checks=self.licence_checks(resource_id))
        check = self.check_adaptation(resource, "simplify", assume_license, actor=actor)
        return run_simplify(self.store, resource_id, step, segments=self.adaptable_segments(resource_id, check),
                            progress=progress)

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
        source_language = language or document.metadata.get("language") or DEFAULT_SOURCE_LANGUAGE
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
        source_language = source or resource.language or DEFAULT_SOURCE_LANGUAGE
        translator = self.translator(engine, model=translation_model)
        self._check_pair(translator, source_language, target)
        check = self.check_adaptation(resource, "translate", assume_license, actor=actor)
        self.simplify_resource(resource_id, level=level, simplifier=simplifier, model=model,
                               assume_license=assume_license, actor=actor)
        allowed = {s.segment_id for s in self.adaptable_segments(resource_id, check)}
        segments = [s for s in simplified_inputs(self.store, resource_id, source_language) if s.segment_id in allowed]
        step = self._translate_step(resource_id, translator, source_language, target, memory=memory, glossary=glossary)
        return run_step(self.store, resource_id, step, segments=segments, progress=progress)

    def readability(self, resource_id: int):
        """Per segment and whole-document readability of a resource's source text."""
        from adapt.simplify import segment_readability

        resource = self.store.resource(resource_id)
        return segment_readability(self.store, resource_id, resource.language or DEFAULT_SOURCE_LANGUAGE)

    def tagger(self, embedder: str | None = None):
        """The tagger (e5 by default), built once per service: its label vectors stay loaded."""
        from adapt.tagging.tagger import Tagger
        from models.embedders import get_embedder

        key = embedder or "e5"
        return self._kept(self._taggers, key,
                          lambda: Tagger(get_embedder(key), cache_dir=self.settings.cache_dir / "tagging"))

    def tag_resource(self, resource_id: int, *, context: Path | None = None, embedder: str | None = None,
                     progress: Progress | None = None):
        """Suggest tags for a stored resource; `context` is a file whose text steers the subject (its book).
        Also a background job task (adapt.jobs calls it with `progress`)."""
        from adapt.tagging.run import tag_resource
        from adapt.tagging.tagger import plain_texts

        context_texts = plain_texts(self.read(Path(context))[0]) if context else None
        return tag_resource(self.store, resource_id, self.tagger(embedder), context_texts=context_texts,
                            progress=progress)

    def tag_file(self, path: Path, *, context: Path | None = None, embedder: str | None = None,
                 language: str | None = None, license: str | None = None, owner: str | None = None,
                 progress: Progress | None = None):
        imported = self.import_file(path, language=language, license=license, owner=owner)
        return self.tag_resource(imported.resource_id, context=context, embedder=embedder, progress=progress)

    def tags(self, resource_id: int, *, status: str | None = None) -> list[Suggestion]:
        from adapt.tagging.run import tag_suggestions

        return tag_suggestions(self.store, resource_id, status=status)

    def metadata(self, resource_id: int, *, target_language: str | None = None) -> dict[str, Any]:
        from adapt.metadata import build_jsonld

        return build_jsonld(self.store, resource_id, target_language=target_language)

    def export_metadata(self, resource_id: int, out: Path, *, target_language: str | None = None) -> dict[str, Any]:
        from adapt.metadata import write_jsonld

        doc = self.metadata(resource_id, target_language=target_language)
        write_jsonld(doc, Path(out))
        return doc

    # -- related resources ---------------------------------------------------------------------------
    def catalogue(self, embedder: str | None = None):
        """The related-resources catalogue for an embedder (default: models.embedders.DEFAULT_EMBEDDER).
        Its index lives in a folder beside the database (`<db>.index/`)."""
        from adapt.catalogue.catalogue import Catalogue
        from models.embedders import DEFAULT_EMBEDDER, get_embedder

        name = embedder or DEFAULT_EMBEDDER
        folder = None if str(self.settings.db_path) == ":memory:" else Path(f"{self.settings.db_path}.index")
        return self._kept(self._catalogues, name,
                          lambda: Catalogue(self.store, get_embedder(name), index_folder=folder))

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
        options = {"k": k, "language": language, "license_compatible": license_compatible, "license": license}
        if isinstance(target, str) and target.startswith("item:") and target[5:].isdigit():
            return ops.related_to_item(catalogue, int(target[5:]), **options)
        if isinstance(target, int):
            return ops.related_to_resource(catalogue, self.store, target, **options)
        document, _ = self.read(Path(target))
        return ops.related_to_document(catalogue, document, Path(target), **options)

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


    # -- people and permissions (review UI) ----------------------------------------------------------
    # Thin wrappers over adapt.people, adapt.jobs, adapt.review and adapt.preview: every method that
    # acts for a logged-in person takes their User and checks the role (teacher: own resources;
    # editor: all; evaluator: read only).
    def add_user(self, name: str, role: str, password: str):
        from adapt import people

        return people.add_user(self.store, name, role, password)

    def users(self):
        from adapt import people

        return people.users(self.store)

    def user(self, name: str):
        from adapt import people

        return people.user(self.store, name)

    def set_password(self, name: str, password: str) -> None:
        from adapt import people

        people.set_password(self.store, name, password)

    def set_role(self, name: str, role: str) -> None:
        from adapt import people

        people.set_role(self.store, name, role)

    def remove_user(self, name: str) -> None:
        from adapt import people

        people.remove_user(self.store, name)

    def authenticate(self, name: str, password: str, *, client: str | None = None, device: str | None = None):
        """The user for a right password; None for a wrong one, and for any while the name (or the client
        address) is locked after repeated wrong passwords, unless `device` logged in as `name` before
        (adapt.login_guard)."""
        from adapt import people

        wait = self.login_throttle.wait_seconds(name, client, device)
        if wait > 0:
            log.warning("login for %r from %s refused: locked for %.0f s after wrong passwords", name, client, wait)
            return None
        found = people.authenticate(self.store, name, password)
        if found is None:
            lock = self.login_throttle.failed(name, client, device)
            if lock:
                log.warning("login for %r from %s locked for %.0f s after repeated wrong passwords", name, client,
                            lock)
        else:
            self.login_throttle.succeeded(name, client, device)
        return found

    def visible_resources(self, who: User) -> list[Resource]:
        return [r for r in self.store.resources() if who.can_see(r)]

    def visible_resource(self, who: User, resource_id: int) -> Resource:
        from adapt.people import require_visible

        resource = self.store.resource(resource_id)
        require_visible(who, resource)
        return resource

    def import_upload(self, who: User, path: Path, *, max_bytes: int | None = None) -> ImportResult:
        """Import an uploaded file for `who` (who becomes its owner when it is new)."""
        from adapt.formats import read_document
        from adapt.people import require_reviewer

        require_reviewer(who)
        limit = min(max_bytes or self.settings.max_file_bytes, self.settings.max_file_bytes)
        document, data = read_document(Path(path), max_bytes=limit)
        result = self.import_document(document, data, owner=who.name)
        if not who.can_see(self.store.resource(result.resource_id)):  # the same bytes, imported by someone else
            raise PermissionDenied("another teacher has already imported this exact file",
                                   hint="ask an editor to review it, or to make it yours")
        return result

    def translation_targets(self, engine: str | None = None) -> list[str]:
        """Languages the engine can translate into (no model is loaded to answer)."""
        return sorted({target for _, target in self.translator(engine).pairs()})

    def job_tasks(self) -> dict[str, Any]:
        from adapt.jobs import job_tasks

        return job_tasks(self)

    def start_job_runner(self, *, poll_seconds: float = 1.0):
        from adapt.jobs import JobRunner

        if getattr(self, "_job_runner", None) is None:
            self._job_runner = JobRunner(self, poll_seconds=poll_seconds)
            self._job_runner.start()
        return self._job_runner

    def stop_job_runner(self) -> None:
        runner = getattr(self, "_job_runner", None)
        if runner is not None:
            runner.stop()
            self._job_runner = None

    def start_job(self, who: User, resource_id: int, tasks: Sequence[dict[str, Any]]):
        """Queue tasks on a resource after checking each can run; the job runner picks it up."""
        from adapt import jobs
        from adapt.people import require_reviewable

        require_reviewable(who, self.store.resource(resource_id))
        if not tasks:
            raise UserError("choose at least one task", hint="e.g. translate to pt")
        available = jobs.job_tasks(self)
        for request in tasks:
            task = available.get(request.get("task", ""))
            if task is None:
                raise UserError(f"unknown task {request.get('task')!r}", hint=f"choose from {', '.join(available)}")
            task.validate(self, resource_id, {"actor": who.name, **{k: v for k, v in request.items() if k != "task"}})
        job = jobs.create_job(self.store, resource_id, tasks, created_by=who.name)
        runner = getattr(self, "_job_runner", None)
        if runner is not None:
            runner.wake()
        return job

    def job(self, who: User, job_id: int):
        from adapt import jobs

        job = jobs.get_job(self.store, job_id)
        self.visible_resource(who, job.resource_id)
        return job

    def jobs(self, who: User, *, limit: int = 10):
        from adapt import jobs

        if who.sees_everything:
            return jobs.list_jobs(self.store, limit=limit)
        return jobs.list_jobs(self.store, resource_ids=[r.id for r in self.visible_resources(who)], limit=limit)

    def review_page(self, who: User, resource_id: int, flt=None, *, page: int = 1, page_size: int = 25):
        from adapt.review import ReviewFilter, review_page

        self.visible_resource(who, resource_id)
        return review_page(self.store, resource_id, flt or ReviewFilter(), page=page, page_size=page_size)

    def decide(self, who: User, suggestion_id: int, action: str, *, expected_version: int | None,
               text: str | None = None):
        from adapt.review import decide

        return decide(self.store, who, suggestion_id, action, expected_version=expected_version, text=text)

    def accept_unflagged(self, who: User, resource_id: int, suggestion_ids: Sequence[int]) -> list[int]:
        from adapt.review import accept_unflagged

        return accept_unflagged(self.store, who, resource_id, suggestion_ids)

    def history(self, who: User, suggestion_id: int):
        self.visible_resource(who, self.store.suggestion(suggestion_id).resource_id)
        return self.store.decisions(suggestion_id)

    def resource_suggestions(self, who: User, resource_id: int) -> list[Suggestion]:
        """Suggestions about the whole resource (tags...), not one segment."""
        self.visible_resource(who, resource_id)
        return [s for s in self.store.suggestions(resource_id) if s.segment_id is None]

    def preview_html(self, who: User, resource_id: int, *, target_language: str | None = None,
                     include_unreviewed: bool = False) -> str:
        """The adapted document as the export would write it, rendered to sanitized HTML."""
        from adapt.formats import render_document
        from adapt.preview import TEXT_FORMATS, document_preview

        self.visible_resource(who, resource_id)
        planned = self.plan_export(resource_id, target_language=target_language, include_unreviewed=include_unreviewed)
        doc = planned.document
        rendered = render_document(doc, planned.plan) if doc.format in TEXT_FORMATS else None
        return document_preview(doc, planned.plan, rendered)

    def related_resources(self, who: User, resource_id: int, *, k: int = 8) -> dict[str, Any]:
        """Catalogue items related to a resource the person can see: `RelatedQuery.to_json()` plus
        `catalogue_items` (0, and nothing searched, when the catalogue is empty)."""
        self.visible_resource(who, resource_id)
        items = self.catalogue().stats()["items"]
        if not items:
            return {"catalogue_items": 0, "results": []}
        return {"catalogue_items": items, **self.related(resource_id, k=k).to_json()}

    def review_related(self, who: User, resource_id: int, *, k: int = 8) -> list[Suggestion]:
        """The Related resources tab: search the catalogue for the resource and keep each result as a
        reviewable suggestion (task "related", about the whole resource), so that a reviewer accepts or
        rejects related resources the way they decide on tags. A reader (evaluator) sees what is stored;
        nothing new is stored for them. Results already stored are not added again."""
        from adapt.related import TASK_RELATED, suggestion_text
        from adapt.store import NewSuggestion

        found = self.related_resources(who, resource_id, k=k)
        if found.get("results") and who.can_review:
            resource = self.store.resource(resource_id)
            signature = self.catalogue().embedder.signature().to_json()
            self.store.add_suggestions([
                NewSuggestion(resource_id, None, TASK_RELATED, None, resource.title or resource.source_name,
                              suggestion_text(r), signature, scores={**r, "rank": rank})
                for rank, r in enumerate(found["results"], start=1)
            ])
        return self.store.suggestions(resource_id, task=TASK_RELATED)  # the decisions reach the JSON-LD (adapt.metadata)

    def segment_related(self, who: User, suggestion_id: int, *, k: int = 5,
                        license_compatible: bool = False) -> dict[str, Any]:
        """For the review detail view: catalogue items related to the segment of a suggestion the person
        can see. `catalogue_items` is 0 (and nothing is searched) when the catalogue is empty."""
        suggestion = self.store.suggestion(suggestion_id)
        self.visible_resource(who, suggestion.resource_id)
        if suggestion.segment_id is None:
            raise UserError("this suggestion is about the whole resource, not one segment",
                            hint="see the Related resources tab")
        items = self.catalogue().stats()["items"]
        if not items:
            return {"catalogue_items": 0, "results": []}
        found = self.related_for_segment(suggestion.resource_id, suggestion.segment_id, k=k,
                                         license_compatible=license_compatible)
        return {"catalogue_items": items, **found.to_json()}

    def metadata_for(self, who: User, resource_id: int, out: Path, *,
                     target_language: str | None = None) -> dict[str, Any]:
        """Write the LRMI JSON-LD of a resource the person can see (accepted tags only) to `out`."""
        self.visible_resource(who, resource_id)
        return self.export_metadata(resource_id, out, target_language=target_language)

    def plan_export_for(self, who: User, resource_id: int, *, target_language: str | None = None,
                        include_unreviewed: bool = False) -> ExportPlan:
        self.visible_resource(who, resource_id)
        return self.plan_export(resource_id, target_language=target_language, include_unreviewed=include_unreviewed,
                                actor=who.name)

    def export_for(self, who: User, resource_id: int, out: Path, *, target_language: str | None = None,
                   include_unreviewed: bool = False) -> ExportResult:
        self.visible_resource(who, resource_id)
        return self.export(resource_id, out, target_language=target_language, include_unreviewed=include_unreviewed,
                           actor=who.name)


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
