"""The service's feature objects: each owns one area over the store and the settings, so that callers
hold `service.memory`, `service.glossary`, `service.people`, `service.licences`, `service.review` or
`service.models` instead of a façade forwarding every call (ARCHITECTURE.md, "a façade routes")."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapt import languages
from adapt.login_guard import LoginGuard
from adapt.settings import Settings
from adapt.store import Decision, Resource, SegmentRecord, Store, Suggestion

if TYPE_CHECKING:
    from adapt.attribution import Attribution
    from adapt.engines import Engines
    from adapt.glossary import GlossaryImport, Term
    from adapt.licenses.guard import LicenseCheck
    from adapt.licenses.model import License
    from adapt.memory import MemoryMatch, MemoryStats, TmxImport
    from adapt.people import User
    from adapt.pipeline import SegmentInput
    from adapt.qa import Check

log = logging.getLogger(__name__)


class ReviewFeature:
    """Suggestions and the decisions on them (the store's append-only log)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def suggestions(self, resource_id: int, *, status: str | None = None, task: str | None = None) -> list[Suggestion]:
        return self.store.suggestions(resource_id, status=status, task=task)

    def suggestion(self, suggestion_id: int) -> Suggestion:
        return self.store.suggestion(suggestion_id)

    def history(self, suggestion_id: int) -> list[Decision]:
        return self.store.decisions(suggestion_id)

    def accept(self, ids: Sequence[int], *, actor: str, expected_version: int | None = None) -> list[Suggestion]:
        return [self.store.accept(i, actor=actor, expected_version=expected_version) for i in ids]

    def reject(self, ids: Sequence[int], *, actor: str, expected_version: int | None = None) -> list[Suggestion]:
        return [self.store.reject(i, actor=actor, expected_version=expected_version) for i in ids]

    def edit(self, suggestion_id: int, text: str, *, actor: str, expected_version: int | None = None) -> Suggestion:
        return self.store.edit(suggestion_id, text, actor=actor, expected_version=expected_version)

    def undo(self, suggestion_id: int, *, actor: str, expected_version: int | None = None) -> Suggestion:
        return self.store.undo(suggestion_id, actor=actor, expected_version=expected_version)

    def accept_all(self, resource_id: int, *, actor: str, only_unflagged: bool = False,
                   suggestion_ids: Sequence[int] | None = None) -> list[int]:
        return self.store.accept_all(resource_id, actor=actor, only_unflagged=only_unflagged,
                                     suggestion_ids=suggestion_ids)

    def segments(self, resource_id: int) -> list[SegmentRecord]:
        return self.store.segments(resource_id)

    def preview(self, suggestion: Suggestion) -> str:
        """A suggestion's current text with its markup restored, as it would be exported."""
        from adapt.document import Placeholder, restore_placeholders

        if suggestion.segment_id is None:
            return suggestion.current_text
        record = next(r for r in self.store.segments(suggestion.resource_id) if r.id == suggestion.segment_id)
        phs = [Placeholder.from_json(p) for p in record.placeholders]
        return restore_placeholders(suggestion.current_text, phs, atom=lambda p: p.raw,
                                    pair=lambda p: (p.raw, p.close or ""))


class MemoryFeature:
    """The translation memory: reviewed translations and imported TMX units (adapt.memory)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings

    def import_tmx(self, path: Path, *, source_language: str | None = None, actor: str = "") -> TmxImport:
        from adapt.memory import import_tmx

        return import_tmx(self.store, Path(path), source_language=languages.normalise(source_language),
                          actor=actor, max_bytes=self.settings.max_file_bytes)

    def export_tmx(self, out: Path, *, source_language: str | None = None,
                   target_language: str | None = None) -> int:
        from adapt.memory import export_tmx

        return export_tmx(self.store, Path(out), source_language=languages.normalise(source_language),
                          target_language=languages.normalise(target_language))

    def lookup(self, text: str, *, source_language: str, target_language: str) -> list[MemoryMatch]:
        """Exact and fuzzy memory matches for a text (with placeholders), best first."""
        from adapt.memory import load_memory

        tm = load_memory(self.store, source_language, target_language)
        exact = tm.exact(text)
        return ([exact] if exact else []) + tm.fuzzy(text, limit=5)

    def stats(self) -> MemoryStats:
        from adapt.memory import memory_stats

        return memory_stats(self.store)


class GlossaryFeature:
    """Glossary projects: do-not-translate and forced terms (adapt.glossary)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings

    def import_file(self, path: Path, *, project: str = "default", source_language: str = "en",
                    target_language: str | None = None, actor: str = "") -> GlossaryImport:
        from adapt.glossary import import_file

        return import_file(self.store, Path(path), project=project, source_language=source_language,
                           target_language=target_language, actor=actor, max_bytes=self.settings.max_file_bytes)

    def add(self, term: Term, *, actor: str = "") -> tuple[int, int]:
        from adapt.glossary import add_terms

        return add_terms(self.store, [term], actor=actor)

    def terms(self, project: str | None = None) -> list[Term]:
        from adapt.glossary import list_terms

        return list_terms(self.store, project)

    def remove(self, term_id: int) -> Term:
        from adapt.glossary import remove_term

        return remove_term(self.store, term_id)


class PeopleFeature:
    """Reviewers, their roles and passwords, and logging in (adapt.people, adapt.login_guard)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.login_throttle = LoginGuard(store)  # per name, client address and known browser; in the database

    def add(self, name: str, role: str, password: str) -> User:
        from adapt import people

        return people.add_user(self.store, name, role, password)

    def list(self) -> list[User]:
        from adapt import people

        return people.users(self.store)

    def get(self, name: str) -> User:
        from adapt import people

        return people.user(self.store, name)

    def set_password(self, name: str, password: str) -> None:
        from adapt import people

        people.set_password(self.store, name, password)

    def set_role(self, name: str, role: str) -> None:
        from adapt import people

        people.set_role(self.store, name, role)

    def remove(self, name: str) -> None:
        from adapt import people

        people.remove_user(self.store, name)

    def authenticate(self, name: str, password: str, *, client: str | None = None,
                     device: str | None = None) -> User | None:
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


class LicenceFeature:
    """The licence guard, element licences, credits and attribution (adapt.licenses, adapt.attribution)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings

    def check(self, resource: Resource | int, action: str, assume_license: str | None = None, *,
              actor: str | None = None, export_license: str | None = None) -> LicenseCheck:
        """Allow `action` (translate, simplify, tag, export) on a resource, or raise LicenseError
        (LicenseConfirmationRequired: the source states no licence, pass `assume_license` to confirm one;
        it is recorded with `actor` and holds for later actions). Returns a LicenseCheck whose `blocked`
        segments an adapting step must skip (see `adaptable_segments`)."""
        from adapt.licenses.guard import check_adaptation

        return check_adaptation(self.store, resource, action, assume_license=assume_license,
                                actor=actor or self.settings.actor(), export_license=export_license)

    def status(self, resource_id: int, action: str = "export") -> LicenseCheck:
        """What the guard would say, without raising or recording anything."""
        from adapt.licenses.guard import license_status

        return license_status(self.store, resource_id, action)

    def adaptable_segments(self, resource_id: int, check: LicenseCheck | None = None) -> list[SegmentInput]:
        """The SegmentInputs an adapting step may work on: not kept out by their own licence."""
        from adapt.licenses.guard import adaptable_segments

        return adaptable_segments(self.store, resource_id, check.blocked if check is not None else None)

    def credit_checks(self, resource_id: int) -> list[Check]:
        """QA checks every adapting step adds: a credit of a figure or photo must survive."""
        from adapt.licenses.credits import credit_check, resource_credits

        credits = resource_credits(self.store, resource_id)
        return [credit_check(credits)] if credits else []

    def report(self, resource_id: int) -> dict[str, Any]:
        from adapt.licenses.report import license_report

        return license_report(self.store, resource_id)

    def set_license(self, resource_id: int, license: str, *, actor: str | None = None) -> License:
        from adapt.licenses.guard import set_license

        return set_license(self.store, resource_id, license, actor=actor or self.settings.actor())

    def set_authors(self, resource_id: int, names: Sequence[str], *, actor: str | None = None) -> None:
        from adapt.attribution import set_authors

        set_authors(self.store, resource_id, names, actor=actor or self.settings.actor())

    def set_source_url(self, resource_id: int, url: str, *, actor: str | None = None) -> None:
        from adapt.attribution import set_source_url

        set_source_url(self.store, resource_id, url, actor=actor or self.settings.actor())

    def attribution(self, resource_id: int, *, target_language: str | None = None,
                    include_unreviewed: bool = False) -> Attribution:
        from adapt.attribution import attribution

        return attribution(self.store, resource_id, target_language=languages.normalise(target_language),
                           include_unreviewed=include_unreviewed)


class ModelsFeature:
    """Which translation models are installed or known, and installing Argos packages (models.catalogue)."""

    def __init__(self, settings: Settings, engines: Engines) -> None:
        self.settings, self.engines = settings, engines

    def catalogue(self) -> list[tuple[Any, bool]]:
        from models.catalogue import catalogue

        return catalogue(self.settings.data_dir)

    def argos_packages(self) -> list[Any]:
        from models.translators.argos import installed_packages

        return installed_packages(self.settings.data_dir)

    def install_argos_file(self, path: Path) -> Any:
        from models.translators.argos import install_file

        installed = install_file(Path(path), self.settings.data_dir,
                                 max_unpacked_bytes=self.settings.max_unpacked_bytes)
        self.engines.forget("translator", "argos")
        self.engines.forget("translator", "auto")  # routes may now go through the new package
        return installed

    def install_argos_pair(self, source: str, target: str) -> Any:
        from models.translators.argos import install_from_index

        installed = install_from_index(languages.parse(source), languages.parse(target), self.settings.data_dir,
                                       index_url=self.settings.argos_index_url,
                                       max_unpacked_bytes=self.settings.max_unpacked_bytes)
        self.engines.forget("translator", "argos")
        self.engines.forget("translator", "auto")
        return installed

    def translation_routes(self, source: str = "en") -> list[Any]:
        """Every language some installed route reaches from `source`, with its best route and chrF
        (models.routes.Choice, best measured first): the `auto` engine's view (models.translators.route)."""
        return self.engines.translator("auto").targets(languages.parse(source))  # type: ignore[attr-defined]

    def translation_targets(self, engine: str | None = None) -> list[str]:
        """Languages the engine can translate into (no model is loaded to answer)."""
        return sorted({target for _, target in self.engines.translator(engine).pairs()})
