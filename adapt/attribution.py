"""Attribution: who made the source and under what licence (TASL: title, author, source, licence), and
what was changed, generated from the review log. Every export carries both; the LRMI JSON-LD carries
them as `isBasedOn`, `license`, `author` and `contributor`.

Nothing here is invented: what the source does not state (authors, for OpenStax repositories) is
said to be missing, unless a user supplied it (`--author`, `--source-url`), and then the statement
says who supplied it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from adapt.export import ADAPTING_TASKS, choose_target, select_text
from adapt.licenses.guard import LicenseCheck, blocked_segments, license_status
from adapt.licenses.model import License
from adapt.licenses.policy import default_export_license, nc_notice, sa_notice
from adapt.store import Resource, Store, Suggestion, now, replay

NOT_STATED_AUTHOR = "author not stated in the source"
NOT_STATED_URL = "source URL not stated in the source"
# Actors that are not people: a step's automatic guard rejecting its own output (adapt.simplify uses
# "guard"). Their decisions count, but they are never named as reviewers.
AUTOMATIC_ACTORS = frozenset({"guard", "system", "adapt"})


# -- the source: TASL ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceCredit:
    title: str
    part_of: str | None  # the book a module belongs to
    authors: tuple[str, ...]
    authors_supplied_by: str | None  # None: the source states them
    url: str | None
    url_supplied_by: str | None
    license: License
    license_assumed_by: str | None  # the source states no licence; this person confirmed one
    language: str | None
    identifier: str | None  # the book's or the module's uuid, when the source gives one

    def text(self) -> str:
        """One sentence: "History of Psychology", from "Psychology 2e", by ..., licensed under ..."""
        parts = [f"Source: “{self.title}”"]
        if self.part_of:
            parts[0] += f", from “{self.part_of}”"
        if self.authors:
            names = _join(self.authors)
            parts.append(f"by {names}" + (f" (as supplied by {self.authors_supplied_by}; not stated in the source)"
                                          if self.authors_supplied_by else ""))
        else:
            parts.append(NOT_STATED_AUTHOR)
        if self.url:
            parts.append(self.url + (f" (as supplied by {self.url_supplied_by})" if self.url_supplied_by else ""))
        else:
            parts.append(NOT_STATED_URL)
        if self.license.known:
            lic = f"licensed under {self.license.cited()}"
            if self.license.kind == "arr":
                lic = "all rights reserved"
            elif self.license.kind == "pdm":
                lic = f"marked as public domain ({self.license.url})"
            if self.license_assumed_by:
                lic += f" (the source states no licence; {self.license_assumed_by} confirmed this one)"
        else:
            lic = "licence not stated in the source"
        parts.append(lic)
        return ", ".join(parts) + "."

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title, "part_of": self.part_of, "authors": list(self.authors),
            "authors_supplied_by": self.authors_supplied_by, "url": self.url, "url_supplied_by": self.url_supplied_by,
            "license": self.license.id, "license_url": self.license.url,
            "license_assumed_by": self.license_assumed_by, "text": self.text(),
        }


def _join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, Mapping):
        name = value.get("name") or value.get("names")
        return _names(name)
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            out.extend(n for n in _names(item) if n not in out)
        return tuple(out)
    return ()


def source_credit(store: Store, resource: Resource | int, check: LicenseCheck | None = None) -> SourceCredit:
    res = store.resource(resource) if isinstance(resource, int) else resource
    meta = res.metadata or {}
    book: Mapping[str, Any] = meta["book"] if isinstance(meta.get("book"), Mapping) else {}
    check = check or license_status(store, res)
    title = _first_text(meta.get("title"), res.title, res.source_name)
    part_of = _first_text(book.get("title"))
    if part_of == title:
        part_of = None
    authors, authors_by = _names(meta.get("authors")), None
    supplied = meta.get("authors_supplied")
    if not authors and isinstance(supplied, Mapping) and _names(supplied.get("names")):
        authors, authors_by = _names(supplied.get("names")), str(supplied.get("by") or "a user")
    url, url_by = _first_text(meta.get("source_url")), None
    supplied_url = meta.get("source_url_supplied")
    if not url and isinstance(supplied_url, Mapping) and _first_text(supplied_url.get("url")):
        url, url_by = _first_text(supplied_url.get("url")), str(supplied_url.get("by") or "a user")
    return SourceCredit(
        title=title or res.source_name,
        part_of=part_of,
        authors=authors,
        authors_supplied_by=authors_by,
        url=url,
        url_supplied_by=url_by,
        license=check.license,
        license_assumed_by=check.confirmation.actor if check.confirmation else None,
        language=res.language or _first_text(meta.get("language")),
        identifier=_first_text(book.get("uuid"), meta.get("uuid")),
    )


def _first_text(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


# -- what changed: from the review log -------------------------------------------------------------


@dataclass(frozen=True)
class TaskDone:
    task: str  # translate, simplify
    segments: int  # segments whose exported text came from this task
    detail: str  # "from en to pt", "to grade 6"
    models: tuple[str, ...]  # "bergamot tiny-en-pt 0.2.0", "translation memory"


@dataclass(frozen=True)
class ChangesReport:
    target_language: str | None
    source_language: str | None
    tasks: tuple[TaskDone, ...]
    tags: tuple[str, ...]  # facets of accepted tags (subject, level...)
    tag_models: tuple[str, ...]
    reviewers: tuple[str, ...]
    segments: int  # translatable segments of the resource
    suggested: int  # segments with at least one machine suggestion (for this target)
    accepted: int  # exported text is a suggestion accepted unchanged
    edited: int  # exported text is a reviewer's edit
    rejected: int  # every suggestion rejected: the source text stays
    pending: int  # suggestions nobody has decided on: the source text stays
    unreviewed: int  # machine output included without review (asked for explicitly, marked ⚠)
    kept_out: int  # elements kept out of adaptation by their own licence
    rejected_automatically: int = 0  # of the rejected, those only an automatic guard rejected
    date: str = field(default_factory=lambda: datetime.now(UTC).date().isoformat())

    @property
    def changed(self) -> int:
        return self.accepted + self.edited + self.unreviewed

    def share(self, count: int) -> float:
        return count / self.suggested if self.suggested else 0.0

    def text(self) -> str:
        if not self.changed and not self.tags:
            sentence = "Changes made: none; the text is as in the source."
            if self.rejected or self.pending:
                sentence += (f" Machine suggestions were made for {self.suggested} segment(s): {self.rejected} "
                             f"rejected and {self.pending} not reviewed.")
            return sentence
        done = []
        for t in self.tasks:
            verb = {"translate": "translated", "simplify": "simplified"}.get(t.task, t.task)
            models = f" with {_join(t.models)}" if t.models else ""
            done.append(f"{verb} {t.detail}".rstrip() + models)
        if self.tags:
            done.append(f"tags added ({', '.join(self.tags)})" + (f" with {_join(self.tag_models)}"
                                                                    if self.tag_models else ""))
        out = [f"Changes made: {_join(done)}."] if done else ["Changes made:"]
        out.append(f"Reviewed by {_join(self.reviewers)}." if self.reviewers else "Not reviewed by anyone.")
        if self.suggested:
            pieces = [f"{self.accepted} ({self.share(self.accepted):.0%}) accepted unchanged",
                      f"{self.edited} ({self.share(self.edited):.0%}) edited by a reviewer",
                      f"{self.rejected} ({self.share(self.rejected):.0%}) rejected"
                      + (f" ({self.rejected_automatically} of them by automatic checks)"
                         if self.rejected_automatically else "")]
            if self.pending:
                pieces.append(f"{self.pending} ({self.share(self.pending):.0%}) not reviewed")
            if self.unreviewed:
                pieces.append(f"{self.unreviewed} ({self.share(self.unreviewed):.0%}) included unreviewed "
                              "(marked ⚠)")
            left = "rejected and unreviewed ones are" if self.pending else "rejected ones are"
            out.append(f"Of {self.suggested} segments with machine suggestions: {', '.join(pieces)}; {left} "
                       "left as in the source.")
        untouched = self.segments - self.suggested - self.kept_out
        if untouched > 0:
            out.append(f"{untouched} other segment(s) were not adapted.")
        if self.kept_out:
            out.append(f"{self.kept_out} element(s) with a licence of their own that does not allow adaptation "
                       "were left as in the source.")
        out.append(f"Adapted with OER Adapt, {self.date}.")
        return " ".join(out)

    def to_json(self) -> dict[str, Any]:
        return {
            "target_language": self.target_language, "source_language": self.source_language,
            "tasks": [{"task": t.task, "segments": t.segments, "detail": t.detail, "models": list(t.models)}
                      for t in self.tasks],
            "tags": list(self.tags), "reviewers": list(self.reviewers), "segments": self.segments,
            "suggested": self.suggested, "accepted": self.accepted, "edited": self.edited,
            "rejected": self.rejected, "pending": self.pending, "unreviewed": self.unreviewed,
            "kept_out": self.kept_out, "rejected_automatically": self.rejected_automatically, "text": self.text(),
        }


def describe_model(signature: Mapping[str, Any], origin: str = "model") -> str:
    if origin == "memory":
        return "translation memory"
    if origin in ("human", "user"):
        return "a person"
    engine, model = str(signature.get("engine") or ""), str(signature.get("model") or "")
    version = str(signature.get("version") or "")
    words = " ".join(w for w in (engine, model if model != engine else "", version) if w)
    return words or "an unnamed model"


_LEVEL_KEYS = ("target_grade", "grade", "level", "target_level", "cefr", "target")


def _simplify_detail(signatures: Iterable[Mapping[str, Any]]) -> str:
    levels = []
    for sig in signatures:
        settings: Mapping[str, Any] = sig["settings"] if isinstance(sig.get("settings"), Mapping) else {}
        for key in _LEVEL_KEYS:
            if settings.get(key) not in (None, ""):
                value = settings[key]
                value = f"{value:g}" if isinstance(value, (int, float)) else str(value)  # 6.0 -> "6"
                label = f"grade {value}" if "grade" in key else value
                if label not in levels:
                    levels.append(label)
                break
    return f"to {_join(levels)}" if levels else ""


def changes_report(
    store: Store,
    resource_id: int | Resource,
    *,
    target_language: str | None = None,
    include_unreviewed: bool = False,
    blocked: Mapping[str, str] | None = None,
) -> ChangesReport:
    """What the review log says was done to a resource, counted as the export counts it."""
    res = store.resource(resource_id) if isinstance(resource_id, int) else resource_id
    resource_id = res.id
    target = choose_target(store, res, target_language)
    kept_out = dict(blocked) if blocked is not None else blocked_segments(store, resource_id)
    records = [r for r in store.segments(resource_id) if r.translatable]
    by_key: dict[str, list[Suggestion]] = {}
    for s in store.suggestions(resource_id, tasks=ADAPTING_TASKS, target_language=target):
        if s.segment_key:
            by_key.setdefault(s.segment_key, []).append(s)
    tag_rows = [s for s in store.suggestions(resource_id) if s.task.startswith("tag")
                and s.status in ("accepted", "edited")]
    deciders = _standing_actors(store, resource_id)
    counts = {"accepted": 0, "edited": 0, "rejected": 0, "pending": 0, "unreviewed": 0}
    per_task: dict[str, list[Suggestion]] = {}
    suggested = automatic = 0
    people: set[str] = set()
    for record in records:
        if record.key in kept_out or record.key not in by_key:
            continue
        suggested += 1
        rows = by_key[record.key]
        people.update(deciders[s.id] for s in rows if s.id in deciders and deciders[s.id] not in AUTOMATIC_ACTORS)
        choice, is_unreviewed = select_text(rows, include_unreviewed=include_unreviewed)
        if choice is None:
            rejected = [s for s in rows if s.status == "rejected"]
            counts["rejected" if rejected else "pending"] += 1
            automatic += bool(rejected) and all(deciders.get(s.id) in AUTOMATIC_ACTORS for s in rejected)
            continue
        # An edit then accepted is the reviewer's text: "edited", as the export's own counts say.
        counts["unreviewed" if is_unreviewed else "edited" if choice.final_text is not None else choice.status] += 1
        per_task.setdefault(choice.task, []).append(choice)
    people.update(deciders[s.id] for s in tag_rows if s.id in deciders and deciders[s.id] not in AUTOMATIC_ACTORS)
    tasks = []
    for task in ADAPTING_TASKS:
        used = per_task.get(task, [])
        if not used:
            continue
        if task == "translate":
            src = _first_text(res.language) or "the source language"
            detail = f"from {src} to {target}" if target else ""
        else:
            detail = _simplify_detail(s.model_signature for s in used)
        models = tuple(dict.fromkeys(describe_model(s.model_signature, s.origin) for s in used))
        tasks.append(TaskDone(task, len(used), detail, models))
    tags = tuple(dict.fromkeys((s.task.split(":", 1)[1] if ":" in s.task else "tags") for s in tag_rows))
    tag_models = tuple(dict.fromkeys(describe_model(s.model_signature, s.origin) for s in tag_rows))
    return ChangesReport(
        target_language=target if (counts["accepted"] + counts["edited"] + counts["unreviewed"]) else None,
        source_language=res.language, tasks=tuple(tasks), tags=tags, tag_models=tag_models,
        reviewers=tuple(sorted(people)),
        segments=len(records), suggested=suggested, kept_out=sum(1 for r in records if r.key in kept_out),
        rejected_automatically=automatic, accepted=counts["accepted"], edited=counts["edited"],
        rejected=counts["rejected"], pending=counts["pending"], unreviewed=counts["unreviewed"],
    )


def _standing_actors(store: Store, resource_id: int) -> dict[int, str]:
    """Suggestion id -> who made the decision that stands (an undone decision is not a review)."""
    history: dict[int, list] = {}
    for decision in store.decisions_for_resource(resource_id):
        history.setdefault(decision.suggestion_id, []).append(decision)
    out: dict[int, str] = {}
    for suggestion_id, decisions in history.items():
        _, _, standing = replay(decisions)
        if standing is not None:
            out[suggestion_id] = standing.actor
    return out


# -- the adaptation's own licence, and the notices an export carries --------------------------------


@dataclass(frozen=True)
class Attribution:
    source: SourceCredit
    changes: ChangesReport
    export_license: License | None  # None: the adaptation cannot be licensed (nothing adapted, or ARR)
    export_license_forced: bool
    license_notices: tuple[str, ...]

    def license_statement(self) -> str | None:
        if self.export_license is None or not self.changes.changed:
            return None
        lic = self.export_license
        forced = " (required by the source's share-alike licence)" if self.export_license_forced else ""
        if lic.kind == "cc0":
            return f"This adaptation is dedicated to the public domain under {lic.cited()}{forced}."
        if lic.kind == "arr":
            return (f"The changes made in this adaptation are not openly licensed (all rights reserved); the source "
                    f"material stays under {self.source.license.short}.")
        return f"This adaptation is licensed under {lic.cited()}{forced}."

    def notices(self) -> tuple[str, ...]:
        statement = self.license_statement()
        return (self.source.text(), self.changes.text(), *([statement] if statement else []), *self.license_notices)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source.to_json(), "changes": self.changes.to_json(),
            "export_license": self.export_license.id if self.export_license else None,
            "export_license_url": self.export_license.url if self.export_license else None,
            "export_license_forced": self.export_license_forced, "notices": list(self.notices()),
        }


def attribution(
    store: Store,
    resource_id: int | Resource,
    *,
    target_language: str | None = None,
    include_unreviewed: bool = False,
    check: LicenseCheck | None = None,
    blocked: Mapping[str, str] | None = None,
) -> Attribution:
    """The full attribution of a resource's adaptation (pass the export's LicenseCheck when there is one)."""
    res = store.resource(resource_id) if isinstance(resource_id, int) else resource_id
    check = check or license_status(store, res)
    changes = changes_report(store, res, target_language=target_language,
                             include_unreviewed=include_unreviewed,
                             blocked=blocked if blocked is not None else dict(check.blocked))
    lic = check.license
    out = check.verdict.export_license or default_export_license(lic)
    notices: list[str] = []
    if changes.changed and lic.kind == "cc":
        if lic.share_alike:
            notices.append(sa_notice(lic))
        if lic.noncommercial:
            notices.append(nc_notice(lic))
    elif lic.kind == "cc" and lic.noncommercial:
        notices.append(f"Non-commercial: the source is licensed under {lic.short}, which forbids commercial use.")
    if lic.no_derivatives or lic.kind == "arr":
        notices.append(f"The source's licence ({lic.short}) does not allow sharing adaptations of it.")
    return Attribution(source_credit(store, res, check), changes, out if lic.allows_adaptation else None,
                       lic.kind == "cc" and lic.share_alike, tuple(dict.fromkeys(notices)))


# -- LRMI / schema.org JSON-LD ---------------------------------------------------------------------


def attribution_jsonld(store: Store, resource_id: int | Resource, *, target_language: str | None = None,
                       built: Attribution | None = None) -> dict[str, Any]:
    """The attribution fields of the adaptation's LRMI JSON-LD: isBasedOn, license, author, contributor,
    creditText. `adapt.metadata.build_jsonld` merges them into the resource's description; `built` is an
    attribution already made (an export plan's), so it is not built twice."""
    att = built or attribution(store, resource_id, target_language=target_language)
    src = att.source
    based_on: dict[str, Any] = {"@type": "CreativeWork", "name": src.title}
    if src.url:
        based_on["url"] = src.url
    if src.license.known:
        based_on["license"] = src.license.url or src.license.name
    if src.authors:
        based_on["author"] = [{"@type": "Person", "name": n} for n in src.authors]
    if src.language:
        based_on["inLanguage"] = src.language
    if src.part_of:
        book: dict[str, Any] = {"@type": "Book", "name": src.part_of}
        if src.identifier:
            book["identifier"] = src.identifier
        based_on["isPartOf"] = book
    elif src.identifier:
        based_on["identifier"] = src.identifier
    out: dict[str, Any] = {"isBasedOn": based_on, "creditText": " ".join(att.notices()[:2])}
    if att.export_license is not None and att.changes.changed:
        out["license"] = att.export_license.url or att.export_license.name
    elif src.license.known:
        out["license"] = src.license.url or src.license.name
    if src.authors:
        out["author"] = [{"@type": "Person", "name": n} for n in src.authors]
    contributors: list[dict[str, Any]] = [{"@type": "Person", "name": n} for n in att.changes.reviewers]
    for task in att.changes.tasks:
        contributors += [{"@type": "SoftwareApplication", "name": m} for m in task.models if m != "a person"]
    contributors += [{"@type": "SoftwareApplication", "name": m} for m in att.changes.tag_models if m != "a person"]
    seen: list[dict[str, Any]] = []
    for c in contributors:
        if c not in seen:
            seen.append(c)
    if seen:
        out["contributor"] = seen
    return out


# -- what a user supplies --------------------------------------------------------------------------


def set_authors(store: Store, resource_id: int, names: Sequence[str], *, actor: str) -> None:
    """Record authors the source does not state (the statement says who supplied them)."""
    clean = [n.strip() for n in names if n and n.strip()]
    res = store.resource(resource_id)
    meta = dict(res.metadata)
    if clean:
        meta["authors_supplied"] = {"names": clean, "by": actor, "at": now()}
    else:
        meta.pop("authors_supplied", None)
    store.update_resource(resource_id, metadata=meta)


def set_source_url(store: Store, resource_id: int, url: str, *, actor: str) -> None:
    from adapt.errors import UserError

    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or any(c.isspace() for c in url) or len(url) > 2000:
        raise UserError(f"{url!r} is not a web address", hint="give the address the source is published at, "
                                                               "starting with https://")
    res = store.resource(resource_id)
    meta = dict(res.metadata)
    meta["source_url_supplied"] = {"url": url, "by": actor, "at": now()}
    store.update_resource(resource_id, metadata=meta)
