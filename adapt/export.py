"""Export: render a resource with its reviewed text. Only accepted or edited text goes in, unless
unreviewed output is asked for explicitly, and then the file marks it as such."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapt import languages
from adapt.document import Document
from adapt.errors import UserError
from adapt.formats import parse_stored, render_document
from adapt.formats.base import RenderPlan
from adapt.review import refused_by_checks
from adapt.store import Resource, Store, Suggestion

if TYPE_CHECKING:
    from adapt.attribution import Attribution
    from adapt.licenses.guard import LicenseCheck

ADAPTING_TASKS = ("translate", "simplify")


@dataclass(frozen=True)
class ExportStats:
    segments: int
    accepted: int
    edited: int
    unreviewed: int  # machine output included because it was asked for
    untouched: int  # segments left as in the source (rejected, pending, or never suggested)
    words_total: int
    words_machine_unedited: int  # words of accepted-as-is or unreviewed machine output
    # Segments with suggestions on which no person has decided yet (pending, or refused by the checks:
    # adapt.review.refused_by_checks); `refused_by_checks` counts those of them the checks refused.
    # Accepted unchanged is decided: only these are what a reviewer still has to look at.
    undecided: int = 0
    refused_by_checks: int = 0

    @property
    def machine_share(self) -> float:
        return self.words_machine_unedited / self.words_total if self.words_total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "segments": self.segments,
            "accepted": self.accepted,
            "edited": self.edited,
            "unreviewed": self.unreviewed,
            "untouched": self.untouched,
            "machine_share": round(self.machine_share, 4),
            "undecided": self.undecided,
            "refused_by_checks": self.refused_by_checks,
        }


@dataclass(frozen=True)
class ExportPlan:
    """Everything an export, its preview and its metadata show, read once and never written: the resource,
    its parsed source, the texts chosen per segment, and (from `adapt.export_plan.build_export_plan`) the
    licence check and the attribution. Preview, export, the JSON-LD and the UI's downloads all use one."""

    resource: Resource
    document: Document
    plan: RenderPlan
    stats: ExportStats
    chosen: dict[str, Suggestion] = field(default_factory=dict)  # segment key -> suggestion used
    check: LicenseCheck | None = None
    attribution: Attribution | None = None
    notes_message: str | None = None  # e.g. the notes fell back to English (adapt.notices)


def target_languages(store: Store, resource_id: int) -> list[str]:
    langs = {s.target_language for s in store.suggestions(resource_id, tasks=ADAPTING_TASKS) if s.target_language}
    return sorted(langs)


def choose_target(store: Store, resource: Resource, target: str | None) -> str | None:
    if target:
        return languages.parse(target)
    langs = target_languages(store, resource.id)
    if len(langs) > 1:
        raise UserError(
            f"resource {resource.id} has suggestions in several languages ({', '.join(langs)})",
            hint="say which with --to",
        )
    return langs[0] if langs else None


def select_text(suggestions: Sequence[Suggestion], *, include_unreviewed: bool) -> tuple[Suggestion | None, bool]:
    """The suggestion whose text a segment exports, and whether it is unreviewed.

    The most recently decided accepted or edited suggestion wins (a newer model run never displaces
    a reviewer's decision); failing that, with `include_unreviewed`, the newest pending one.
    """
    decided = [s for s in suggestions if s.status in ("accepted", "edited")]
    if decided:
        return max(decided, key=lambda s: (s.decided_at or "", s.id)), False
    if include_unreviewed:
        pending = [s for s in suggestions if s.status == "pending"]
        if pending:
            return max(pending, key=lambda s: s.id), True
    return None, False


def _decided_by_person(s: Suggestion) -> bool:
    return s.status in ("accepted", "edited") or (s.status == "rejected" and not refused_by_checks(s))


def plan_export(
    store: Store,
    resource_id: int | Resource,
    *,
    target_language: str | None = None,
    include_unreviewed: bool = False,
    notices: Sequence[str] = (),
    exclude: Collection[str] = (),
) -> ExportPlan:
    """`exclude` names segments that keep their source text whatever was decided (e.g. an element whose
    own licence forbids adaptation)."""
    resource = store.resource(resource_id) if isinstance(resource_id, int) else resource_id
    target = choose_target(store, resource, target_language)
    doc = parse_stored(resource.format, resource.source_name, store.resource_source(resource.id))
    by_key: dict[str, list[Suggestion]] = {}
    for s in store.suggestions(resource.id, tasks=ADAPTING_TASKS, target_language=target):
        if s.segment_key:
            by_key.setdefault(s.segment_key, []).append(s)
    replacements: dict[str, str] = {}
    unreviewed: set[str] = set()
    chosen: dict[str, Suggestion] = {}
    accepted = edited = included = words_total = words_machine = undecided = refused = 0
    segments = doc.translatable_segments()
    for seg in segments:
        candidates = [] if seg.key in exclude else by_key.get(seg.key, [])
        if candidates and not any(_decided_by_person(s) for s in candidates):
            undecided += 1
            refused += any(refused_by_checks(s) for s in candidates)
        choice, is_unreviewed = select_text(candidates, include_unreviewed=include_unreviewed)
        if choice is None:
            words_total += len(seg.plain_text().split())
            continue
        text = choice.current_text
        words = len(text.split())
        words_total += words
        replacements[seg.key] = text
        chosen[seg.key] = choice
        if is_unreviewed:
            unreviewed.add(seg.key)
            included += 1
            words_machine += words
        elif choice.final_text is not None:  # edited, or an edit then accepted: a reviewer's text
            edited += 1
        else:
            accepted += 1
            words_machine += words
    stats = ExportStats(
        segments=len(segments),
        accepted=accepted,
        edited=edited,
        unreviewed=included,
        untouched=len(segments) - accepted - edited - included,
        words_total=words_total,
        words_machine_unedited=words_machine,
        undecided=undecided,
        refused_by_checks=refused,
    )
    plan = RenderPlan(
        replacements=replacements,
        unreviewed=frozenset(unreviewed),
        target_language=target if replacements else None,
        notices=tuple(notices),
    )
    return ExportPlan(resource, doc, plan, stats, chosen)


def write_export(export: ExportPlan, out: Path) -> bytes:
    data = render_document(export.document, export.plan)
    if is_container(export.document.format) and _wants_folder(out):
        return _write_folder(data, out, export.document.source_name)
    if out.exists() and out.is_dir():
        raise UserError(f"{out} is a folder", hint="give a file name for --out")
    if not out.parent.exists():
        raise UserError(f"the folder {out.parent} does not exist", hint="create it first")
    from adapt.atomic import write_atomically

    write_atomically(out, data)  # never leave a half-written file behind
    return data


def download_name(source_name: str, format_name: str, target: str | None) -> str:
    """A file name for a download of the export: `lesson.pt.md`; a book or cartridge (several files)
    is one archive: `collection.pt.zip`, `course.pt.imscc`."""
    name = Path(source_name)
    lang = target or "src"
    if is_container(format_name):
        return f"{name.stem}.{lang}{'.imscc' if name.suffix.lower() == '.imscc' else '.zip'}"
    return f"{name.stem}.{lang}{name.suffix or '.txt'}"


def is_container(format_name: str) -> bool:
    """Formats whose rendering is a zip of several files (a book, a cartridge)."""
    from adapt.formats import handler_by_name

    return bool(getattr(handler_by_name(format_name), "container", False))


def _wants_folder(out: Path) -> bool:
    # A .zip / .imscc name gets the archive; a folder (existing, or a name without a suffix) gets its files.
    return out.is_dir() or (not out.exists() and out.suffix.lower() not in (".zip", ".imscc"))


def _write_folder(data: bytes, out: Path, source_name: str) -> bytes:
    """Unpack a container rendering into `out` (new or empty), through a sibling temporary folder."""
    import shutil

    from adapt.formats.cnxml import BOOK_INDEX
    from adapt.formats.zipsafe import extract_to

    if out.exists() and any(out.iterdir()):
        raise UserError(f"the folder {out} is not empty", hint="give a new or empty folder for --out, or a .zip name")
    if not out.parent.exists():
        raise UserError(f"the folder {out.parent} does not exist", hint="create it first")
    tmp = out.with_name(out.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        extract_to(data, tmp, source_name)
        (tmp / BOOK_INDEX).unlink(missing_ok=True)  # our packing index, not part of the book
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            from adapt.atomic import storage_error

            raise storage_error(exc, out) from exc
        raise
    return data
