"""Fill the reviewed templates with one export's attribution: names, counts, licence citations and
the date. No model ids here (they stay in the metadata); languages are named in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from adapt.notices.templates import GENERIC, LANGUAGES, MONTHS, TEMPLATES

if TYPE_CHECKING:
    from adapt.attribution import Attribution

FALLBACK = "en"


@dataclass(frozen=True)
class ReaderNotices:
    language: str  # the language the notes are written in
    notices: tuple[str, ...]  # source and licence, changes made, the adaptation's licence, licence notes
    unreviewed_notice: str  # the warning above unreviewed machine output
    label: str  # what a format that labels each note calls it ("Nota")
    message: str | None = None  # set when the wanted language has no templates (English was used)


def reader_language(language: str | None) -> tuple[str, str | None]:
    """The template language for a target language (its primary subtag: pt-BR -> pt), and a message
    when there is none and English is used."""
    primary = (language or "").replace("_", "-").split("-")[0].lower()
    if not primary:
        return FALLBACK, None
    if primary in TEMPLATES:
        return primary, None
    return FALLBACK, (f"no reviewed note templates for “{language}”: the export's notes are in English "
                      f"(available: {', '.join(sorted(TEMPLATES))})")


def _join(names: Sequence[str], t: dict[str, str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + t["and"] + names[-1]


def _language(code: str | None, lang: str, which: int) -> str:
    primary = (code or "").replace("_", "-").split("-")[0].lower()
    known = LANGUAGES[lang].get(primary)
    return known[which] if known else GENERIC[lang][which].format(code=code or "?")


def _date(iso: str, lang: str) -> str:
    try:
        year, month, day = (int(part) for part in iso[:10].split("-"))
    except ValueError:
        return iso
    return TEMPLATES[lang]["date"].format(day=day, month=MONTHS[lang][month - 1], year=year)


def _pct(count: int, total: int) -> str:
    return f"{count / total:.0%}" if total else "0%"


def _source(att: Attribution, t: dict[str, str]) -> str:
    src = att.source
    first = t["source"].format(title=src.title) + (t["part_of"].format(book=src.part_of) if src.part_of else "")
    parts = [first]
    if src.authors:
        supplied = t["supplied_authors"].format(who=src.authors_supplied_by) if src.authors_supplied_by else ""
        parts.append(t["by"].format(names=_join(src.authors, t)) + supplied)
    else:
        parts.append(t["no_author"])
    if src.url:
        parts.append(src.url + (t["supplied_url"].format(who=src.url_supplied_by) if src.url_supplied_by else ""))
    else:
        parts.append(t["no_url"])
    lic = src.license
    if lic.known:
        if lic.kind == "arr":
            said = t["arr"]
        elif lic.kind == "pdm":
            said = t["pdm"].format(url=lic.url)
        else:
            said = t["licensed"].format(licence=lic.cited())
        if src.license_assumed_by:
            said += t["assumed"].format(who=src.license_assumed_by)
    else:
        said = t["no_licence"]
    parts.append(said)
    return ", ".join(parts) + "."


def _changes(att: Attribution, t: dict[str, str], lang: str) -> str:
    c = att.changes
    if not c.changed and not c.tags:
        sentence = t["none"]
        if c.rejected or c.pending:
            sentence += t["none_counts"].format(suggested=c.suggested, rejected=c.rejected, pending=c.pending)
        return sentence
    done = []
    for task in c.tasks:
        if task.task == "translate":
            done.append(t["translated"].format(src=_language(c.source_language or "en", lang, 0),
                                               tgt=_language(c.target_language, lang, 1))
                        if c.target_language else t["translated_nolang"])
        elif task.task == "simplify":
            levels = task.detail.removeprefix("to ").replace("grade ", "").replace(" and ", t["and"])
            done.append(t["simplified"].format(levels=levels) if levels else t["simplified_nolevel"])
    if c.tags:
        done.append(t["tagged"])
    out = [t["changes"].format(done=_join(done, t)) if done else t["changes"].format(done="—")]
    if c.changed:
        out.append(t["machine"])
    out.append(t["reviewed"].format(names=_join(c.reviewers, t)) if c.reviewers else t["not_reviewed"])
    if c.suggested:
        n = c.suggested
        counts = t["counts"].format(suggested=n, accepted=c.accepted, accepted_pct=_pct(c.accepted, n),
                                    edited=c.edited, edited_pct=_pct(c.edited, n), rejected=c.rejected,
                                    rejected_pct=_pct(c.rejected, n))
        if c.rejected_automatically:
            counts += t["auto"].format(n=c.rejected_automatically)
        if c.pending:
            counts += t["pending"].format(pending=c.pending, pending_pct=_pct(c.pending, n))
        if c.unreviewed:
            counts += t["unreviewed"].format(unreviewed=c.unreviewed, unreviewed_pct=_pct(c.unreviewed, n))
        out.append(counts + (t["left_pending"] if c.pending else t["left"]))
    untouched = c.segments - c.suggested - c.kept_out
    if untouched > 0:
        out.append(t["untouched"].format(n=untouched))
    if c.kept_out:
        out.append(t["kept_out"].format(n=c.kept_out))
    out.append(t["adapted"].format(date=_date(c.date, lang)))
    return " ".join(out)


def _licence_notes(att: Attribution, t: dict[str, str]) -> list[str]:
    notes: list[str] = []
    lic, changed = att.source.license, att.changes.changed
    out = att.export_license
    if out is not None and changed:
        forced = t["forced"] if att.export_license_forced else ""
        if out.kind == "cc0":
            notes.append(t["export_cc0"].format(licence=out.cited(), forced=forced))
        elif out.kind == "arr":
            notes.append(t["export_arr"].format(licence=lic.short))
        else:
            notes.append(t["export_licence"].format(licence=out.cited(), forced=forced))
    if changed and lic.kind == "cc":
        if lic.share_alike:
            notes.append(t["sa"].format(short=lic.short, licence=lic.cited()))
        if lic.noncommercial:
            notes.append(t["nc"].format(short=lic.short))
    elif lic.kind == "cc" and lic.noncommercial:
        notes.append(t["nc_source"].format(short=lic.short))
    if lic.no_derivatives or lic.kind == "arr":
        notes.append(t["nd"].format(short=lic.short))
    return list(dict.fromkeys(notes))


def reader_notices(att: Attribution, language: str | None) -> ReaderNotices:
    """The export's notes in `language` (the export's target; None: the source's own language)."""
    lang, message = reader_language(language or att.source.language)
    t = TEMPLATES[lang]
    notices = (_source(att, t), _changes(att, t, lang), *_licence_notes(att, t))
    return ReaderNotices(lang, notices, t["unreviewed_notice"], t["label"], message)
