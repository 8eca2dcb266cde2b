"""Translation memory: reviewed translations come back as suggestions when the same text appears again.

What the memory holds:
- every translate suggestion a reviewer accepted or edited, read live from the suggestions table
  (so an undo takes it out again and nothing is copied twice), and
- units imported from TMX files (table `tm_units`, migration 0010).

Matching works on the segment's model text with its placeholders renumbered in order of appearance,
so "Use [3]print[/3] here" in one resource matches "Use [1]print[/1] here" in another and the stored
translation comes back with the new segment's numbers. An exact match (same source text, same
language pair) becomes a suggestion with origin "memory" and the model is not asked; matches of at
least 75% similarity (rapidfuzz's normalised Indel ratio) become suggestions with origin
"memory-fuzzy", flagged for the reviewer, next to the model's suggestion. Every translation run asks
the memory again for segments no reviewer has settled (see AdaptService._translate_step).

TMX files carry placeholders as inline codes (adapt/tmx_codes.py); imported units keep the codes'
native markup in `tm_units.note` (JSON) so that an export writes it back.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adapt import languages
from adapt.document import PLACEHOLDER_RE
from adapt.errors import EmptyDocument, FileTooLarge, HostileInput, InputError, InvalidLanguage, UnreadableFile
from adapt.store import Store, now
from adapt.tmx_codes import (
    BadCodes,
    Code,
    Numbering,
    clean_xml,
    codes_from_placeholders,
    literal_max,
    local_name,
    plain,
    read_seg,
    write_seg,
)

FUZZY_THRESHOLD = 75.0
_SPACES = re.compile(r"\s+")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# -- placeholder-independent keys ------------------------------------------------------------------


def canonical(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace collapsed and placeholders renumbered 1, 2... by first appearance;
    also the original numbers in that order."""
    order: list[int] = []

    def renumber(match: re.Match[str]) -> str:
        number = int(match.group(2))
        if number not in order:
            order.append(number)
        return f"[{match.group(1)}{order.index(number) + 1}]"

    return PLACEHOLDER_RE.sub(renumber, _SPACES.sub(" ", text.strip())), order


def renumber(text: str, mapping: dict[int, int]) -> str:
    """Replace placeholder numbers by `mapping` (numbers not in it stay)."""
    return PLACEHOLDER_RE.sub(
        lambda m: f"[{m.group(1)}{mapping.get(int(m.group(2)), int(m.group(2)))}]", text
    )


# -- records ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemoryUnit:
    source_text: str
    target_text: str
    kind: str  # accepted, edited, tmx
    resource_id: int | None = None
    suggestion_id: int | None = None
    segment_id: int | None = None
    decided_by: str | None = None
    decided_at: str | None = None
    origin: str = ""  # for imported units, e.g. "tmx:glossary.tmx"
    unit_id: int | None = None
    target_language: str | None = None  # the unit's own tag: a `pt-BR` unit may serve a `pt` run

    def describe(self) -> str:
        if self.kind == "tmx":
            return f"imported from {self.origin.removeprefix('tmx:')}"
        return (f"{self.kind} by {self.decided_by or '?'} in resource {self.resource_id} "
                f"(suggestion {self.suggestion_id})")

    def origin_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "resource": self.resource_id, "suggestion": self.suggestion_id,
                "decided_by": self.decided_by, "decided_at": self.decided_at, "origin": self.origin or None,
                "unit": self.unit_id, "source": self.source_text, "description": self.describe(),
                "language": self.target_language}


@dataclass(frozen=True)
class MemoryMatch:
    unit: MemoryUnit
    text: str  # the unit's translation with the query segment's placeholder numbers
    similarity: float  # 100.0 for an exact match

    def to_json(self) -> dict[str, Any]:
        return {"similarity": round(self.similarity, 1), **self.unit.origin_json()}


@dataclass
class TranslationMemory:
    """A snapshot of the memory for one language pair, indexed for exact and fuzzy look-ups."""

    source_language: str
    target_language: str
    units: list[MemoryUnit] = field(default_factory=list)
    fuzzy_threshold: float = FUZZY_THRESHOLD

    def __post_init__(self) -> None:
        # Units of the run's own tag first, then of its base language, then of a more specific variant
        # (adapt.languages.match_rank); units of a sibling variant or another language never serve.
        ranked = [(_language_rank(u.target_language, self.target_language), u) for u in self.units]
        self.units = [u for rank, u in ranked if rank is not None]
        self._rank = {id(u): rank for rank, u in ranked if rank is not None}
        self._exact: dict[str, list[tuple[MemoryUnit, list[int]]]] = {}
        self._keys: list[str] = []
        self._by_key_index: list[list[tuple[MemoryUnit, list[int]]]] = []
        for unit in self.units:
            key, order = canonical(unit.source_text)
            if key not in self._exact:
                self._exact[key] = []
                self._keys.append(key)
                self._by_key_index.append(self._exact[key])
            self._exact[key].append((unit, order))
        for entries in self._exact.values():
            # The newest decision first: a reviewer's latest word wins; imported units come last.
            entries.sort(key=lambda e: (-self._rank[id(e[0])], e[0].kind != "tmx", e[0].decided_at or ""),
                         reverse=True)

    def __len__(self) -> int:
        return len(self.units)

    @staticmethod
    def _apply(unit: MemoryUnit, unit_order: list[int], query_order: list[int]) -> str:
        # unit's number → canonical position → the query's number at that position
        mapping = {n: query_order[i] for i, n in enumerate(unit_order) if i < len(query_order)}
        return renumber(unit.target_text, mapping)

    def exact(self, text: str, *, exclude_segment: int | None = None,
              exclude_texts: Collection[str] = ()) -> MemoryMatch | None:
        """The newest unit with the same source; `exclude_texts` are translations not to offer (a reviewer
        rejected them for this segment), so an older, different translation may come instead."""
        key, order = canonical(text)
        for unit, unit_order in self._exact.get(key, []):
            if exclude_segment is not None and unit.segment_id == exclude_segment:
                continue  # the segment's own decision is already in front of the reviewer
            applied = self._apply(unit, unit_order, order)
            if applied not in exclude_texts:
                return MemoryMatch(unit, applied, 100.0)
        return None

    def fuzzy(self, text: str, *, limit: int = 2, exclude_segment: int | None = None,
              exclude_texts: Collection[str] = ()) -> list[MemoryMatch]:
        """Matches of at least `fuzzy_threshold` similarity that are not exact, best first."""
        if not self._keys:
            return []
        from rapidfuzz import fuzz, process

        key, order = canonical(text)
        found = process.extract(key, self._keys, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold,
                                limit=limit + 3)
        matches = []
        for candidate, score, index in found:
            if candidate == key:
                continue
            for unit, unit_order in self._by_key_index[index]:
                if exclude_segment is not None and unit.segment_id == exclude_segment:
                    continue
                applied = self._apply(unit, unit_order, order)
                if applied in exclude_texts:
                    continue
                matches.append(MemoryMatch(unit, applied, float(score)))
                break
        return matches[:limit]


# -- reading the memory ----------------------------------------------------------------------------


def _language_rank(unit_language: str | None, wanted: str) -> int | None:
    if unit_language is None:
        return 0  # a unit built without a language (tests, callers that filtered already)
    try:
        return languages.match_rank(unit_language, wanted)
    except InvalidLanguage:
        return 0 if unit_language == wanted else None


def _language_filter(column: str, language: str) -> tuple[str, list[str]]:
    """SQL that keeps a language and its regional variants: ranking happens in TranslationMemory."""
    base = languages.primary(language)
    return f" AND ({column} = ? OR {column} LIKE ?)", [base, base + "-%"]


def reviewed_units(store: Store, source_language: str | None, target_language: str | None) -> list[MemoryUnit]:
    """Accepted and edited translations (their current text), optionally for one pair (a language with
    all its regional variants)."""
    sql = (
        "SELECT s.id, s.resource_id, s.segment_id, s.source_text, COALESCE(s.final_text, s.text) AS target, "
        "s.status, s.decided_by, s.decided_at, s.target_language, r.language AS source_language "
        "FROM suggestions s JOIN resources r ON r.id = s.resource_id "
        "WHERE s.task = 'translate' AND s.status IN ('accepted', 'edited') AND s.segment_id IS NOT NULL"
    )
    args: list[Any] = []
    for column, language in (("s.target_language", target_language), ("r.language", source_language)):
        if language:
            more, values = _language_filter(column, language)
            sql += more
            args += values
    rows = store.read(lambda c: c.execute(sql + " ORDER BY s.decided_at, s.id", args).fetchall())
    return [
        MemoryUnit(r["source_text"], r["target"], r["status"], r["resource_id"], r["id"], r["segment_id"],
                   r["decided_by"], r["decided_at"], target_language=languages.try_normalise(r["target_language"]))
        for r in rows
    ]


def imported_units(store: Store, source_language: str | None, target_language: str | None) -> list[MemoryUnit]:
    sql, args = "SELECT * FROM tm_units WHERE 1 = 1", []
    for column, language in (("source_language", source_language), ("target_language", target_language)):
        if language:
            more, values = _language_filter(column, language)
            sql += more
            args += values
    rows = store.read(lambda c: c.execute(sql + " ORDER BY id", args).fetchall())
    return [MemoryUnit(r["source_text"], r["target_text"], "tmx", origin=r["origin"], decided_by=r["created_by"],
                       decided_at=r["created_at"], unit_id=r["id"],
                       target_language=languages.try_normalise(r["target_language"])) for r in rows]


def load_memory(store: Store, source_language: str, target_language: str,
                *, fuzzy_threshold: float = FUZZY_THRESHOLD) -> TranslationMemory:
    source_language, target_language = languages.parse(source_language), languages.parse(target_language)
    units = imported_units(store, source_language, target_language) + reviewed_units(
        store, source_language, target_language)
    return TranslationMemory(source_language, target_language, units, fuzzy_threshold)


@dataclass(frozen=True)
class MemoryStats:
    pairs: dict[str, dict[str, int]]

    def to_json(self) -> dict[str, Any]:
        return {"pairs": self.pairs}


def memory_stats(store: Store) -> MemoryStats:
    pairs: dict[str, dict[str, int]] = {}
    for row in store.read(lambda c: c.execute(
        "SELECT r.language AS src, s.target_language AS tgt, s.status AS kind, COUNT(*) AS n FROM suggestions s "
        "JOIN resources r ON r.id = s.resource_id WHERE s.task = 'translate' AND s.status IN ('accepted', 'edited') "
        "GROUP BY 1, 2, 3 UNION ALL SELECT source_language, target_language, 'tmx', COUNT(*) FROM tm_units "
        "GROUP BY 1, 2").fetchall()):
        pair = pairs.setdefault(f"{row['src']}→{row['tgt']}", {})
        pair[row["kind"]] = pair.get(row["kind"], 0) + row["n"]
    return MemoryStats(pairs)


# -- TMX -------------------------------------------------------------------------------------------


def _segment_codes(store: Store, segment_ids: set[int]) -> dict[int, dict[int, Code]]:
    """Inline-code content for reviewed units: their segment's placeholders (the original markup)."""
    if not segment_ids:
        return {}
    ids = sorted(segment_ids)
    rows: list[sqlite3.Row] = []
    for start in range(0, len(ids), 500):  # SQLite's parameter limit
        chunk = ids[start:start + 500]

        def select(c: sqlite3.Connection, chunk: list[int] = chunk) -> list[sqlite3.Row]:
            return c.execute(
                f"SELECT id, placeholders FROM segments WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall()

        rows += store.read(select)
    out = {}
    for row in rows:
        try:
            out[int(row["id"])] = codes_from_placeholders(json.loads(row["placeholders"] or "[]"))
        except (ValueError, TypeError):
            out[int(row["id"])] = {}
    return out


def _stored_codes(note: str | None) -> tuple[dict[int, Code], dict[int, Code]]:
    """Source and target codes an imported unit kept in its note (see import_tmx)."""
    try:
        data = json.loads(note or "{}").get("codes") or {}
        return tuple(  # type: ignore[return-value]
            {int(n): Code.from_json(c) for n, c in (data.get(side) or {}).items()} for side in ("source", "target"))
    except (ValueError, TypeError, AttributeError):
        return {}, {}


def export_tmx(store: Store, out: Path, *, source_language: str | None = None,
               target_language: str | None = None) -> int:
    """Write the memory (reviewed and imported units) as TMX 1.4b; returns the number of units.

    Placeholders become inline codes: an atom `<ph x="N">`, a pair `<bpt i="N" x="N">`...`<ept i="N">`,
    holding the original markup (the segment's placeholders for reviewed units, the imported file's
    codes for imported ones). `parse_tmx` reads them back as the same placeholders.
    """
    import xml.etree.ElementTree as ET

    pair_of = dict(
        (row[0], (row[1] or "und", row[2] or "und")) for row in store.read(lambda c: c.execute(
            "SELECT s.id, r.language, s.target_language FROM suggestions s JOIN resources r ON r.id = s.resource_id "
            "WHERE s.task = 'translate' AND s.status IN ('accepted', 'edited')").fetchall())
    )
    units: list[tuple[str, str, MemoryUnit, dict[int, Code], dict[int, Code]]] = []
    reviewed = reviewed_units(store, source_language, target_language)
    by_segment = _segment_codes(store, {u.segment_id for u in reviewed if u.segment_id is not None})
    for unit in reviewed:
        src, tgt = pair_of.get(unit.suggestion_id, ("und", "und"))
        codes = by_segment.get(unit.segment_id or 0, {})
        units.append((src, tgt, unit, codes, codes))  # a translation keeps its segment's markup
    for row in store.read(lambda c: c.execute("SELECT * FROM tm_units ORDER BY id").fetchall()):
        # The asked languages with their regional variants, as the memory look-ups serve them.
        if (source_language and not languages.same_language(row["source_language"], source_language)) or (
                target_language and _language_rank(row["target_language"], target_language) is None):
            continue
        units.append((row["source_language"], row["target_language"],
                      MemoryUnit(row["source_text"], row["target_text"], "tmx", origin=row["origin"],
                                 decided_by=row["created_by"], decided_at=row["created_at"], unit_id=row["id"]),
                      *_stored_codes(row["note"])))
    sources = {src for src, *_ in units}
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": "OER Adapt", "creationtoolversion": "0.1.0", "segtype": "paragraph",
        "o-tmf": "oer-adapt", "adminlang": "en", "datatype": "unknown",
        "srclang": sources.pop() if len(sources) == 1 else "*all*",
    })
    body = ET.SubElement(root, "body")
    seen: set[tuple[str, str, str, str]] = set()
    segs: list[tuple[Any, str, dict[int, Code]]] = []
    count = 0
    for src, tgt, unit, source_codes, target_codes in units:
        key = (src, tgt, canonical(unit.source_text)[0], canonical(unit.target_text)[0])
        if key in seen:
            continue
        seen.add(key)
        attrs = {"srclang": src}
        if unit.decided_by:
            attrs["creationid"] = clean_xml(unit.decided_by)
        if unit.decided_at:
            attrs["creationdate"] = _tmx_date(unit.decided_at)
        tu = ET.SubElement(body, "tu", attrs)
        ET.SubElement(tu, "prop", type="x-oer-adapt-origin").text = clean_xml(unit.describe())
        for lang, text, codes in ((src, unit.source_text, source_codes), (tgt, unit.target_text, target_codes)):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            segs.append((ET.SubElement(tuv, "seg"), text, codes))
        count += 1
    ET.indent(root)  # before the segs are filled: whitespace inside a <seg> would be segment text
    for seg, text, codes in segs:
        write_seg(seg, text, codes)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
    out = Path(out)
    if not out.parent.exists():
        raise InputError(f"the folder {out.parent} does not exist", hint="create it first")
    tmp = out.with_name(out.name + ".partial")
    tmp.write_bytes(data)
    tmp.replace(out)
    return count


def _tmx_date(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    except ValueError:
        return stamp


@dataclass(frozen=True)
class TmxImport:
    units: int  # new units stored
    duplicates: int  # already in the memory
    skipped: int  # translation units without a usable source and target
    pairs: dict[str, int]
    problems: tuple[str, ...] = ()  # why units were skipped (the first few)

    def to_json(self) -> dict[str, Any]:
        return {"imported": self.units, "duplicates": self.duplicates, "skipped": self.skipped, "pairs": self.pairs,
                "problems": list(self.problems)}


@dataclass(frozen=True)
class TmxUnit:
    """One source/target pair read from a TMX file, inline codes turned into placeholders."""

    source_language: str
    target_language: str
    source_text: str
    target_text: str
    source_codes: dict[int, Code] = field(default_factory=dict)
    target_codes: dict[int, Code] = field(default_factory=dict)

    def note(self) -> str | None:
        """What tm_units.note keeps: the codes' native markup, for a faithful export."""
        if not (self.source_codes or self.target_codes):
            return None
        return json.dumps({"codes": {side: {str(n): c.to_json() for n, c in codes.items()} for side, codes in
                                     (("source", self.source_codes), ("target", self.target_codes))}},
                          ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class TmxRead:
    units: list[TmxUnit]
    skipped: int  # translation units with no usable pair
    problems: list[str]  # why, for the first MAX_PROBLEMS of them


MAX_PROBLEMS = 20


def read_tmx(data: bytes, *, source_language: str | None = None) -> TmxRead:
    """Every usable source/target pair of a TMX file (any version 1.1-1.4b, with or without inline codes).

    A DOCTYPE naming the TMX DTD is allowed (OmegaT and Trados write one) but never loaded; entity
    declarations and external references are refused (HostileInput). A unit whose codes do not pair up,
    or whose translation has a code its source lacks, is skipped and counted, with the reason."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    normalise_language = languages.try_normalise

    try:
        root = DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise HostileInput(f"the TMX file declares entities or external references, which are refused "
                           f"({type(exc).__name__})", hint="export it again without a DOCTYPE") from None
    except Exception as exc:  # noqa: BLE001 - ParseError and friends from the XML parser
        raise InputError(f"the TMX file is not well-formed XML: {exc}", hint="check the file; is it TMX?") from None
    if local_name(root.tag) != "tmx":
        raise InputError(f"not a TMX file (the root element is <{local_name(root.tag)}>)", hint="give a .tmx file")
    header = next((e for e in root if local_name(e.tag) == "header"), None)
    header_src = header.get("srclang") if header is not None else None
    wanted_src = normalise_language(source_language) if source_language else (
        normalise_language(header_src) if header_src and header_src != "*all*" else None)
    body = next((e for e in root if local_name(e.tag) == "body"), None)
    if body is None:
        raise EmptyDocument("the TMX file has no <body>", hint="export it again")
    units: list[TmxUnit] = []
    skipped, number = 0, 0
    problems: list[str] = []

    def problem(text: str) -> None:
        nonlocal skipped
        skipped += 1
        if len(problems) < MAX_PROBLEMS:
            problems.append(f"unit {number}: {text}")

    for tu in body:
        if local_name(tu.tag) != "tu":
            continue
        number += 1
        try:
            variants = _variants(tu, normalise_language)
        except BadCodes as exc:
            problem(str(exc))
            continue
        src_lang = normalise_language(tu.get("srclang")) if tu.get("srclang") and tu.get("srclang") != "*all*" \
            else wanted_src
        if source_language:
            src_lang = wanted_src
        source = next((v for v in variants if languages.same_language(v[0], src_lang)), None) if src_lang else (
            variants[0] if variants else None)
        targets = [v for v in variants if source is None or not languages.same_language(v[0], source[0])]
        if source is None or not targets:
            problem("no text in the source language" if source is None else "no translation")
            continue
        numbering = Numbering(max(literal_max(tokens) for _, tokens in variants))
        reasons = []
        try:
            numbering.number_source(source[1])
            source_text, source_codes = numbering.text(source[1])
        except BadCodes as exc:
            problem(str(exc))
            continue
        for lang, tokens in targets:
            try:
                target_text, target_codes = numbering.text(tokens)
            except BadCodes as exc:
                reasons.append(f"{lang}: {exc}")
                continue
            units.append(TmxUnit(source[0], lang, source_text.strip(), target_text.strip(), source_codes,
                                 target_codes))
        if len(reasons) == len(targets):
            problem("; ".join(reasons))
    return TmxRead(units, skipped, problems)


def _variants(tu: Any, normalise_language: Any) -> list[tuple[str, list[Any]]]:
    """(language, tokens) of a unit's variants that hold text."""
    variants = []
    for tuv in tu:
        if local_name(tuv.tag) != "tuv":
            continue
        lang = tuv.get(_XML_LANG) or tuv.get("lang")
        seg = next((e for e in tuv if local_name(e.tag) == "seg"), None)
        if not lang or seg is None:
            continue
        tokens = read_seg(seg)
        if plain(tokens).strip():
            variants.append((normalise_language(lang), tokens))
    return variants


def parse_tmx(data: bytes, *, source_language: str | None = None) -> tuple[list[tuple[str, str, str, str]], int]:
    """(source_language, target_language, source_text, target_text) for every usable pair, and how
    many translation units were skipped (see read_tmx)."""
    read = read_tmx(data, source_language=source_language)
    return [(u.source_language, u.target_language, u.source_text, u.target_text) for u in read.units], read.skipped


def import_tmx(store: Store, path: Path, *, source_language: str | None = None, actor: str = "",
               max_bytes: int = 50 * 1024 * 1024) -> TmxImport:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"{path} does not exist", hint="give the path of a .tmx file")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(f"{path} is {size} bytes, over the limit of {max_bytes}",
                           hint="split it, or raise ADAPT_MAX_FILE_BYTES")
    read = read_tmx(path.read_bytes(), source_language=source_language)
    origin = f"tmx:{path.name}"
    stamp = now()

    def insert(conn: sqlite3.Connection) -> tuple[int, int, dict[str, int]]:
        added = duplicates = 0
        per_pair: dict[str, int] = {}
        for unit in read.units:
            src, tgt = unit.source_language, unit.target_language
            cur = conn.execute(
                "INSERT OR IGNORE INTO tm_units (source_language, target_language, source_text, target_text, origin, "
                "note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (src, tgt, unit.source_text, unit.target_text, origin, unit.note(), actor or None, stamp),
            )
            if cur.rowcount:
                added += 1
                per_pair[f"{src}→{tgt}"] = per_pair.get(f"{src}→{tgt}", 0) + 1
            else:
                duplicates += 1
        return added, duplicates, per_pair

    added, duplicates, per_pair = store.write(insert)
    return TmxImport(added, duplicates, read.skipped, per_pair, tuple(read.problems))


def memory_origin_signature(match: MemoryMatch) -> dict[str, Any]:
    """The model signature stored with a suggestion that came from the memory."""
    return {"engine": "memory", "model": "translation-memory", "version": "1",
            "settings": {"match": "exact" if match.similarity >= 100 else "fuzzy", **match.unit.origin_json()}}


def describe_matches(matches: Sequence[MemoryMatch]) -> list[dict[str, Any]]:
    return [m.to_json() for m in matches]
