"""LRMI / schema.org JSON-LD for a resource, built from what reviewers accepted.

Only accepted or edited tag suggestions go in (an edit wins over the model's text); facts the user or
the format stated on import (title, licence, language) are used as they are. Keys with nothing
accepted behind them are left out rather than filled with a guess; `missing_keys` says which.
Author, contributor, credit text and the adaptation's licence come from `adapt.attribution`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapt.errors import UserError
from adapt.related import TASK_RELATED, parse_suggestion_text
from adapt.store import Resource, Store, Suggestion

if TYPE_CHECKING:
    from adapt.attribution import Attribution
from adapt.tagging.tagger import (
    TASK_KEYWORD,
    TASK_LANGUAGE,
    TASK_LEVEL,
    TASK_READING_LEVEL,
    TASK_SUBJECT,
    TASK_TYPE,
    TASKS,
)
from adapt.taxonomy import SCHEME_URL, isced

CONTEXT = "https://schema.org/"
REQUIRED_KEYS = ("@context", "@type", "name", "inLanguage", "about", "keywords", "educationalLevel",
                 "learningResourceType", "license", "isBasedOn")
ISCED_F = {"@type": "DefinedTermSet", "name": "ISCED-F 2013: ISCED Fields of Education and Training",
           "url": SCHEME_URL}
ISCED_LEVELS = {"@type": "DefinedTermSet", "name": "ISCED 2011 levels of education", "url": SCHEME_URL}
_CODE = re.compile(r"^\s*(\d{2,4})\b\s*[-–:]?\s*(.*)$")
# Dublin Core's "a related resource": schema.org's CreativeWork has no property for "see also".
RELATION = "http://purl.org/dc/terms/relation"


def accepted_tags(store: Store, resource_id: int, *, language: str | None = None) -> dict[str, list[Suggestion]]:
    """Accepted or edited tags by task; subjects and keywords in the model's rank order. `language` None:
    the source's tags; a target language: the tags of that translation (adapt.tagging.adaptation)."""
    out: dict[str, list[Suggestion]] = {}
    for s in store.suggestions(resource_id, tasks=TASKS):
        if s.status in ("accepted", "edited") and s.target_language == language:
            out.setdefault(s.task, []).append(s)
    for task, rows in out.items():
        rows.sort(key=lambda s: (s.scores.get("rank", 0) if task in (TASK_SUBJECT, TASK_KEYWORD) else 0, s.id))
    return out


def build_jsonld(store: Store, resource_id: int | Resource, *, target_language: str | None = None,
                 attribution: Attribution | None = None) -> dict[str, Any]:
    """The resource's LRMI metadata as a JSON-LD dict (schema.org LearningResource).

    `target_language`: the metadata describes the adapted (translated) resource, so `inLanguage` is the
    target and `isBasedOn` names the original with its language.
    """
    resource = store.resource(resource_id) if isinstance(resource_id, int) else resource_id
    resource_id = resource.id
    tags = accepted_tags(store, resource_id)
    source_tags = tags
    if target_language:
        # Keywords and reading level describe a text: the translation's own, when it has been tagged.
        translated = accepted_tags(store, resource_id, language=target_language)
        tags = {**tags, **{task: rows for task, rows in translated.items() if task in (TASK_KEYWORD,
                                                                                        TASK_READING_LEVEL)}}
    source_language = _first_text(tags.get(TASK_LANGUAGE)) or resource.language
    # The metadata of a translation describes that text: its name is the reviewed translation of the
    # title when there is one (the original's name stays under isBasedOn).
    name = (adapted_title(store, resource, target_language) if target_language else None)
    doc: dict[str, Any] = {"@context": CONTEXT, "@type": "LearningResource",
                           "name": name or resource.title or Path(resource.source_name).stem}
    language = target_language or source_language
    if language:
        doc["inLanguage"] = language
    about = [_subject_term(s.current_text) for s in tags.get(TASK_SUBJECT, [])]
    if about:
        doc["about"] = about
    keywords = _texts(tags.get(TASK_KEYWORD, []))
    if keywords:
        doc["keywords"] = keywords
    level = tags.get(TASK_LEVEL)
    if level:
        doc["educationalLevel"] = [_level_term(s) for s in level]
    types = list(dict.fromkeys(s.current_text.strip() for s in tags.get(TASK_TYPE, []) if s.current_text.strip()))
    if types:
        doc["learningResourceType"] = types
    reading = tags.get(TASK_READING_LEVEL)
    if reading:
        doc["educationalAlignment"] = [
            {"@type": "AlignmentObject", "alignmentType": "readingLevel", "targetName": s.current_text,
             **({"targetDescription": s.scores["grade_formula"] + _of_text(s)} if s.scores.get("grade_formula")
                else {})}
            for s in reading
        ]
    license_url = license_to_url(resource.license)
    if license_url:
        doc["license"] = license_url
    original: dict[str, Any] = {"@type": "CreativeWork", "name": resource.title or resource.source_name}
    url = resource.metadata.get("url") or resource.metadata.get("source_url")
    if url:
        original["url"] = url
    if source_language:
        original["inLanguage"] = source_language
    if tags is not source_tags and tags.get(TASK_KEYWORD) is not source_tags.get(TASK_KEYWORD):
        # The document's keywords are the translation's; the source's stay with the source.
        source_keywords = _texts(source_tags.get(TASK_KEYWORD, []))
        if source_keywords:
            original["keywords"] = source_keywords
    if license_url:
        original["license"] = license_url
    doc["isBasedOn"] = original
    # The licences area knows the source's full attribution (book, authors supplied, the adaptation's
    # licence and who changed what): its fields replace the plain ones above.
    from adapt.attribution import attribution_jsonld

    credits = attribution_jsonld(store, resource, target_language=target_language, built=attribution)
    doc["isBasedOn"] = {**original, **credits.pop("isBasedOn", {})}
    doc.update(credits)
    related = related_works(store, resource_id)
    if related:
        doc[RELATION] = related
    return doc


def adapted_title(store: Store, resource: Resource, target_language: str) -> str | None:
    """The title as the export writes it in `target_language`: the reviewed (accepted or edited)
    suggestion for the segment that holds the title, chosen as the export chooses; None when the
    title was not adapted (the export keeps the source's title then)."""
    from adapt.export import ADAPTING_TASKS, select_text
    from adapt.placeholders import PLACEHOLDER_RE

    title = " ".join((resource.title or "").split())
    if not title:
        return None
    keys = {r.key for r in store.segments(resource.id) if r.translatable
            and " ".join(PLACEHOLDER_RE.sub("", r.source_text).split()) == title}
    if not keys:
        return None
    rows = [s for s in store.suggestions(resource.id, tasks=ADAPTING_TASKS, target_language=target_language)
            if s.segment_key in keys]
    choice, _ = select_text(rows, include_unreviewed=False)
    text = " ".join(PLACEHOLDER_RE.sub("", choice.current_text).split()) if choice else ""
    return text or None


def _texts(rows: list[Suggestion]) -> list[str]:
    return list(dict.fromkeys(s.current_text.strip() for s in rows if s.current_text.strip()))


def _of_text(s: Suggestion) -> str:
    """Which text a reading level was measured on: the source, or the translation into a language."""
    return f", measured on the {s.target_language} translation" if s.target_language else ", measured on the source"


def related_works(store: Store, resource_id: int) -> list[dict[str, Any]]:
    """The related resources a reviewer accepted (or edited), as CreativeWorks in the catalogue's rank order.
    An edit of the suggestion's "Title <url>" text wins over the catalogue's title and URL."""
    rows = [s for s in store.suggestions(resource_id, task=TASK_RELATED) if s.status in ("accepted", "edited")]
    works = []
    for s in sorted(rows, key=lambda s: (s.scores.get("rank", 0), s.id)):
        name, link, has_link = parse_suggestion_text(s.current_text)
        url = link or (None if s.status == "edited" and has_link else s.scores.get("url"))
        work: dict[str, Any] = {"@type": "CreativeWork", "name": name or s.scores.get("title") or "untitled"}
        if url:
            work["url"] = url
        if s.scores.get("language"):
            work["inLanguage"] = s.scores["language"]
        license_url = license_to_url(s.scores.get("license"))
        if license_url:
            work["license"] = license_url
        works.append(work)
    return works


def missing_keys(doc: dict[str, Any]) -> list[str]:
    """The required keys a JSON-LD document lacks (nothing accepted for them yet)."""
    return [key for key in REQUIRED_KEYS if key not in doc or doc[key] in (None, "", [], {})]


def write_jsonld(doc: dict[str, Any], out: Path) -> bytes:
    if out.exists() and out.is_dir():
        raise UserError(f"{out} is a folder", hint="give a file name for --metadata, e.g. metadata.jsonld")
    if not out.parent.exists():
        raise UserError(f"the folder {out.parent} does not exist", hint="create it first")
    data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    from adapt.atomic import write_atomically

    write_atomically(out, data)
    return data


def _first_text(rows: list[Suggestion] | None) -> str | None:
    if not rows:
        return None
    latest = max(rows, key=lambda s: (s.decided_at or "", s.id))
    return latest.current_text.strip() or None


def _subject_term(text: str) -> dict[str, Any]:
    """"0313 Psychology" (or a reviewer's "0313") becomes an ISCED-F DefinedTerm; free text a plain Thing."""
    match = _CODE.match(text)
    taxonomy = isced()
    if match and match.group(1) in taxonomy:
        field = taxonomy[match.group(1)]
        return {"@type": "DefinedTerm", "termCode": field.code, "name": field.label, "inDefinedTermSet": ISCED_F}
    return {"@type": "Thing", "name": text.strip()}


def _level_term(s: Suggestion) -> dict[str, Any]:
    code = s.scores.get("level") if s.status == "accepted" else None
    term: dict[str, Any] = {"@type": "DefinedTerm", "name": s.current_text.strip()}
    if code:
        term["termCode"] = str(code)
        term["inDefinedTermSet"] = ISCED_LEVELS
    return term


def license_to_url(license_id: str | None) -> str | None:
    """A licence for schema.org: the canonical URL of a licence adapt.licenses recognises (CC ids, CC URLs,
    CC0...); any other stated licence as its text (schema.org takes text too); None when none is stated.
    A CC id without a version ("cc-by-sa") is not completed with a guess."""
    from adapt.licenses.model import parse_license

    if not license_id or not license_id.strip():
        return None
    parsed = parse_license(license_id)
    return parsed.url if parsed.known and parsed.url else license_id.strip()
