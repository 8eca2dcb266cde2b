"""Glossary: per project, terms that must not be translated and terms with a forced translation.

Enforcement, where it is possible:
- a do-not-translate term is swapped for a placeholder (`[7]`) before the model sees the text and
  put back afterwards, so the model cannot translate it;
- a forced translation cannot be forced on a neural model without breaking agreement and
  inflection, so it is checked: the QA check `glossary` flags output that lacks the required term.
Both kinds are checked after every translation; violations become QA flags the reviewer sees.

Import: CSV (header with at least `term`; optional `translation`, `type` dnt|forced, `source`,
`target`, `case_sensitive`, `note`; an empty translation means do-not-translate) and TBX (every
termEntry: the source-language term against each other language; a term equal in both means
do-not-translate). Terms live in `glossary_terms` (migration 0011).
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from adapt import languages
from adapt.document import PLACEHOLDER_RE
from adapt.errors import FileTooLarge, HostileInput, InputError, InvalidLanguage, UnreadableFile, UserError
from adapt.qa import Flag, QAInput
from adapt.store import Store, now

DEFAULT_PROJECT = "default"
ANY_TARGET = "*"
KINDS = ("dnt", "forced")
MAX_TERM_LENGTH = 200
MAX_TERMS = 100_000


@dataclass(frozen=True)
class Term:
    term: str
    kind: str  # dnt | forced
    source_language: str
    target_language: str = ANY_TARGET
    translation: str | None = None
    case_sensitive: bool = False
    note: str | None = None
    project: str = DEFAULT_PROJECT
    id: int | None = None

    def pattern(self, text: str | None = None) -> re.Pattern[str]:
        body = re.escape(text if text is not None else self.term)
        return re.compile(rf"(?<![\w-]){body}(?![\w-])", 0 if self.case_sensitive else re.IGNORECASE)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "project": self.project, "kind": self.kind, "term": self.term,
                "translation": self.translation, "source": self.source_language, "target": self.target_language,
                "case_sensitive": self.case_sensitive, "note": self.note}


def _outside_placeholders(text: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    taken = [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(text)]
    return [m for m in pattern.finditer(text) if not any(a < m.end() and m.start() < b for a, b in taken)]


@dataclass
class Glossary:
    """The terms of one project that apply to one language pair."""

    project: str
    source_language: str
    target_language: str
    terms: list[Term] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Longest first, so "Python Software Foundation" wins over "Python".
        self.terms.sort(key=lambda t: -len(t.term))
        self._patterns = [(t, t.pattern()) for t in self.terms]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def used_variants(self, text: str) -> dict[str, str]:
        """{term: its entry's target language} for the forced terms in `text` whose entry is for another
        variant of the target language than the run's (a `pt` entry in a `pt-BR` run), so the suggestion
        can say which entry it obeyed."""
        return {t.term: t.target_language for t, pattern in self._patterns
                if t.kind == "forced" and t.target_language not in (ANY_TARGET, self.target_language)
                and _outside_placeholders(text, pattern)}

    @property
    def dnt(self) -> list[Term]:
        return [t for t in self.terms if t.kind == "dnt"]

    # enforcing ------------------------------------------------------------------------------------
    def protect(self, text: str) -> tuple[str, dict[int, str]]:
        """Replace do-not-translate terms by new placeholders; returns the text and {number: term}."""
        numbers = [int(m.group(2)) for m in PLACEHOLDER_RE.finditer(text)]
        next_number = max(numbers, default=0) + 1
        restore: dict[int, str] = {}
        for term, pattern in self._patterns:
            if term.kind != "dnt":
                continue
            pieces, last = [], 0
            for match in _outside_placeholders(text, pattern):
                pieces += [text[last : match.start()], f"[{next_number}]"]
                restore[next_number] = match.group(0)
                next_number += 1
                last = match.end()
            if pieces:
                text = "".join(pieces) + text[last:]
        return text, restore

    @staticmethod
    def restore(text: str, restore: dict[int, str]) -> str:
        if not restore:
            return text
        return PLACEHOLDER_RE.sub(
            lambda m: restore[int(m.group(2))] if not m.group(1) and int(m.group(2)) in restore else m.group(0), text
        )

    # checking -------------------------------------------------------------------------------------
    def check(self, qa: QAInput) -> list[Flag]:
        """The QA check: do-not-translate terms kept, forced translations used."""
        flags = []
        for term, pattern in self._patterns:
            wanted = len(_outside_placeholders(qa.source, pattern))
            if not wanted:
                continue
            if term.kind == "dnt":
                got = len(_outside_placeholders(qa.output, pattern))
                if got < wanted:
                    flags.append(Flag("glossary-dnt", f"“{term.term}” must stay untranslated "
                                                      f"({wanted} in the source, {got} here)"))
            else:
                assert term.translation is not None
                got = len(_outside_placeholders(qa.output, term.pattern(term.translation)))
                if got < wanted:
                    variant = ("" if term.target_language in (ANY_TARGET, self.target_language)
                               else f", entry for {term.target_language}")
                    flags.append(Flag("glossary-term", f"“{term.term}” must be translated as “{term.translation}” "
                                                       f"(glossary {self.project}{variant})"))
        return flags


# -- the table -------------------------------------------------------------------------------------


def _row_term(row: sqlite3.Row) -> Term:
    return Term(row["term"], row["kind"], row["source_language"], row["target_language"], row["translation"],
                bool(row["case_sensitive"]), row["note"], row["project"], row["id"])


def load_glossary(store: Store, project: str, source_language: str, target_language: str) -> Glossary:
    """The project's terms for a language pair. Entries of a language's regional variants serve each other
    (adapt.languages.match_rank): a `pt` entry applies to a run into `pt-BR`, a `pt-BR` entry to a run into
    `pt` unless an entry as close exists for the same term. `Glossary.used_languages` says which was used."""
    source_language = languages.parse(source_language)
    target_language = languages.parse(target_language)
    rows = store.read(lambda c: c.execute(
        "SELECT * FROM glossary_terms WHERE project = ? ORDER BY id", (project,)).fetchall())
    best: dict[tuple[str, str], tuple[tuple[int, int], Term]] = {}
    for row in rows:
        term = _row_term(row)
        source_rank = languages.match_rank(languages.try_normalise(term.source_language) or "", source_language) \
            if languages.is_language(term.source_language) else None
        if source_rank is None:
            continue
        target_rank: int | None
        if term.target_language == ANY_TARGET:
            target_rank = 0
        elif languages.is_language(term.target_language):
            target_rank = languages.match_rank(term.target_language, target_language)
        else:
            target_rank = None
        if target_rank is None:
            continue
        key = (term.term.casefold(), term.kind)
        rank = (target_rank, source_rank)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, term)
    return Glossary(project, source_language, target_language, [term for _, term in best.values()])


def list_terms(store: Store, project: str | None = None) -> list[Term]:
    sql, args = "SELECT * FROM glossary_terms", cast(tuple[Any, ...], ())
    if project:
        sql, args = sql + " WHERE project = ?", (project,)
    return [_row_term(r) for r in store.read(lambda c: c.execute(sql + " ORDER BY project, term", args).fetchall())]


def validate(term: Term) -> Term:
    text = term.term.strip()
    if not text:
        raise InputError("a glossary term cannot be empty")
    if len(text) > MAX_TERM_LENGTH:
        raise InputError(f"the term {text[:40]!r}… is longer than {MAX_TERM_LENGTH} characters")
    if PLACEHOLDER_RE.search(text):
        raise InputError(f"the term {text!r} looks like a placeholder ([N]); it cannot be a glossary term")
    if term.kind not in KINDS:
        raise InputError(f"unknown term type {term.kind!r}", hint="use dnt (do not translate) or forced")
    translation = (term.translation or "").strip() or None
    if term.kind == "forced" and not translation:
        raise InputError(f"the forced term {text!r} has no translation", hint="give one, or make it dnt")
    if term.kind == "forced" and term.target_language == ANY_TARGET:
        raise InputError(f"the forced term {text!r} needs a target language", hint="pass --to LANG")
    source = _language(term.source_language, "source")
    target = _language(term.target_language, "target") if term.kind == "forced" else ANY_TARGET
    return Term(text, term.kind, source, target, translation if term.kind == "forced" else None,
                term.case_sensitive, term.note, term.project)


def _language(value: str, which: str) -> str:
    try:
        return languages.parse(value)
    except InvalidLanguage as exc:
        raise InputError(f"the {which} language: {exc.message}", hint=exc.hint) from None


def add_terms(store: Store, terms: Iterable[Term], *, actor: str = "") -> tuple[int, int]:
    """Insert or update terms (same project, languages and term: replaced). Returns (added, updated)."""
    checked = [validate(t) for t in terms]
    stamp = now()

    def write(conn: sqlite3.Connection) -> tuple[int, int]:
        # One read of the existing keys and two batched writes: a 20,000-term import is three round
        # trips to a database server, not 40,000.
        existing: dict[tuple[str, str, str, str], int] = {}
        for project in {t.project for t in checked}:
            for row in conn.execute("SELECT id, source_language, target_language, term FROM glossary_terms "
                                    "WHERE project = ?", (project,)):
                existing[(project, row[1], row[2], row[3])] = int(row[0])
        fresh: dict[tuple[str, str, str, str], Term] = {}
        changed: dict[int, Term] = {}
        added = updated = 0
        for t in checked:  # a term named twice: the first adds it, the later ones update it
            key = (t.project, t.source_language, t.target_language, t.term)
            if key in existing:
                changed[existing[key]] = t
                updated += 1
            elif key in fresh:
                fresh[key] = t
                updated += 1
            else:
                fresh[key] = t
                added += 1
        if changed:
            conn.executemany("UPDATE glossary_terms SET kind = ?, translation = ?, case_sensitive = ?, note = ? "
                             "WHERE id = ?", [(t.kind, t.translation, int(t.case_sensitive), t.note, term_id)
                                              for term_id, t in changed.items()])
        if fresh:
            conn.executemany(
                "INSERT INTO glossary_terms (project, kind, source_language, target_language, term, translation, "
                "case_sensitive, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(t.project, t.kind, t.source_language, t.target_language, t.term, t.translation,
                  int(t.case_sensitive), t.note, actor or None, stamp) for t in fresh.values()])
        return added, updated

    return store.write(write)


def remove_term(store: Store, term_id: int) -> Term:
    row = store.read(lambda c: c.execute("SELECT * FROM glossary_terms WHERE id = ?", (term_id,)).fetchone())
    if row is None:
        raise UserError(f"there is no glossary term {term_id}", hint="list them with `adapt glossary list`")
    store.write(lambda c: c.execute("DELETE FROM glossary_terms WHERE id = ?", (term_id,)))
    return _row_term(row)


# -- import ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GlossaryImport:
    added: int
    updated: int
    skipped: list[str]  # "line 4: why"

    def to_json(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "skipped": self.skipped}


def _read(path: Path, max_bytes: int) -> bytes:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"{path} does not exist", hint="give the path of a .csv or .tbx file")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(f"{path} is {size} bytes, over the limit of {max_bytes}")
    return path.read_bytes()


def parse_csv(data: bytes, *, project: str, source_language: str, target_language: str | None
              ) -> tuple[list[Term], list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("the CSV file is not UTF-8", hint="save it as UTF-8") from None
    if not text.strip():
        raise InputError("the CSV file is empty", hint="it needs a header line with at least a `term` column")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "term" not in fields:
        raise InputError(f"the CSV file has no `term` column (it has {', '.join(fields) or 'none'})",
                         hint="add a header: term,translation,type,source,target,note")
    terms: list[Term] = []
    skipped: list[str] = []
    try:
        for number, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() if isinstance(v, str) else "" for k, v in raw.items()}
            if not any(row.values()):
                continue
            if len(terms) >= MAX_TERMS:
                raise InputError(f"the CSV file has more than {MAX_TERMS} terms")
            translation = row.get("translation") or None
            kind = (row.get("type") or row.get("kind") or ("forced" if translation else "dnt")).lower()
            kind = {"do-not-translate": "dnt", "dnt": "dnt", "forced": "forced", "term": "forced"}.get(kind, kind)
            target = row.get("target") or target_language
            term = Term(row.get("term", ""), kind, row.get("source") or source_language,
                        target if kind == "forced" and target else ANY_TARGET, translation,
                        row.get("case_sensitive", "").lower() in ("1", "true", "yes"), row.get("note") or None, project)
            try:
                terms.append(validate(term))
            except InputError as exc:
                skipped.append(f"line {number}: {exc.message}")
    except csv.Error as exc:
        raise InputError(f"the CSV file is malformed: {exc}") from None
    return terms, skipped


def parse_tbx(data: bytes, *, project: str, source_language: str, target_language: str | None
              ) -> tuple[list[Term], list[str]]:
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        root = DET.fromstring(data, forbid_dtd=False)  # TBX files often carry a harmless DOCTYPE line
    except DefusedXmlException as exc:
        raise HostileInput(f"the TBX file declares entities or external references ({type(exc).__name__})",
                           hint="remove them") from None
    except Exception as exc:  # noqa: BLE001 - ParseError and friends
        raise InputError(f"the TBX file is not well-formed XML: {exc}") from None
    if _local(root.tag) not in ("martif", "tbx"):
        raise InputError(f"not a TBX file (the root element is <{_local(root.tag)}>)")
    src = _language(source_language, "source")
    want_target = _language(target_language, "target") if target_language else None
    terms, skipped = [], []
    for number, entry in enumerate((e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")),
                                   start=1):
        by_lang: dict[str, list[str]] = {}
        for lang_set in (e for e in entry if _local(e.tag) in ("langSet", "langSec")):
            lang = lang_set.get("{http://www.w3.org/XML/1998/namespace}lang") or lang_set.get("lang") or ""
            words = [("".join(t.itertext())).strip() for t in lang_set.iter() if _local(t.tag) == "term"]
            by_lang.setdefault(languages.try_normalise(lang) or "", []).extend(w for w in words if w)
        sources = [w for lang, words in by_lang.items() if languages.same_language(lang, src) for w in words]
        if not sources:
            skipped.append(f"entry {number}: no {src} term")
            continue
        targets = {lang: words for lang, words in by_lang.items()
                   if words and languages.is_language(lang) and not languages.same_language(lang, src)
                   and (want_target is None or languages.match_rank(lang, want_target) is not None)}
        for term_text in sources:
            if not targets:
                skipped.append(f"entry {number}: no translation for {term_text!r}")
            for lang, words in targets.items():
                translation = words[0]
                kind = "dnt" if translation == term_text else "forced"
                try:
                    terms.append(validate(Term(term_text, kind, src, lang, translation, False, None, project)))
                except InputError as exc:
                    skipped.append(f"entry {number}: {exc.message}")
                if len(terms) > MAX_TERMS:
                    raise InputError(f"the TBX file has more than {MAX_TERMS} terms")
    return terms, skipped


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def import_file(store: Store, path: Path, *, project: str = DEFAULT_PROJECT, source_language: str = "en",
                target_language: str | None = None, actor: str = "", max_bytes: int = 50 * 1024 * 1024
                ) -> GlossaryImport:
    data = _read(path, max_bytes)
    suffix = Path(path).suffix.lower()
    if suffix in (".tbx", ".xml"):
        terms, skipped = parse_tbx(data, project=project, source_language=source_language,
                                   target_language=target_language)
    elif suffix in (".csv", ".tsv", ".txt"):
        terms, skipped = parse_csv(data, project=project, source_language=source_language,
                                   target_language=target_language)
    else:
        raise InputError(f"cannot import {Path(path).name}: glossaries are .csv or .tbx files")
    added, updated = add_terms(store, terms, actor=actor)
    return GlossaryImport(added, updated, skipped)
