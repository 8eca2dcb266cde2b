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
"memory-fuzzy", flagged for the reviewer, next to the model's suggestion.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from adapt.document import PLACEHOLDER_RE
from adapt.errors import EmptyDocument, FileTooLarge, HostileInput, InputError, UnreadableFile
from adapt.store import Store, now

FUZZY_THRESHOLD = 75.0
_SPACES = re.compile(r"\s+")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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

    def describe(self) -> str:
        if self.kind == "tmx":
            return f"imported from {self.origin.removeprefix('tmx:')}"
        return f"{self.kind} by {self.decided_by or '?'} in resource {self.resource_id} (suggestion {self.suggestion_id})"

    def origin_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "resource": self.resource_id, "suggestion": self.suggestion_id,
                "decided_by": self.decided_by, "decided_at": self.decided_at, "origin": self.origin or None,
                "unit": self.unit_id, "source": self.source_text, "description": self.describe()}


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
            entries.sort(key=lambda e: (e[0].kind != "tmx", e[0].decided_at or ""), reverse=True)

    def __len__(self) -> int:
        return len(self.units)

    @staticmethod
    def _apply(unit: MemoryUnit, unit_order: list[int], query_order: list[int]) -> str:
        # unit's number → canonical position → the query's number at that position
        mapping = {n: query_order[i] for i, n in enumerate(unit_order) if i < len(query_order)}
        return renumber(unit.target_text, mapping)

    def exact(self, text: str, *, exclude_segment: int | None = None) -> MemoryMatch | None:
        key, order = canonical(text)
        for unit, unit_order in self._exact.get(key, []):
            if exclude_segment is not None and unit.segment_id == exclude_segment:
                continue  # the segment's own decision is already in front of the reviewer
            return MemoryMatch(unit, self._apply(unit, unit_order, order), 100.0)
        return None

    def fuzzy(self, text: str, *, limit: int = 2, exclude_segment: int | None = None) -> list[MemoryMatch]:
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
                matches.append(MemoryMatch(unit, self._apply(unit, unit_order, order), float(score)))
                break
        return matches[:limit]


# -- reading the memory ----------------------------------------------------------------------------


def reviewed_units(store: Store, source_language: str | None, target_language: str | None) -> list[MemoryUnit]:
    """Accepted and edited translations (their current text), optionally for one pair."""
    sql = (
        "SELECT s.id, s.resource_id, s.segment_id, s.source_text, COALESCE(s.final_text, s.text) AS target, "
        "s.status, s.decided_by, s.decided_at, s.target_language, r.language AS source_language "
        "FROM suggestions s JOIN resources r ON r.id = s.resource_id "
        "WHERE s.task = 'translate' AND s.status IN ('accepted', 'edited') AND s.segment_id IS NOT NULL"
    )
    args: list[Any] = []
    if target_language:
        sql += " AND s.target_language = ?"
        args.append(target_language)
    if source_language:
        sql += " AND r.language = ?"
        args.append(source_language)
    rows = store.read(lambda c: c.execute(sql + " ORDER BY s.decided_at, s.id", args).fetchall())
    return [
        MemoryUnit(r["source_text"], r["target"], r["status"], r["resource_id"], r["id"], r["segment_id"],
                   r["decided_by"], r["decided_at"])
        for r in rows
    ]


def imported_units(store: Store, source_language: str | None, target_language: str | None) -> list[MemoryUnit]:
    sql, args = "SELECT * FROM tm_units WHERE 1 = 1", []
    if source_language:
        sql += " AND source_language = ?"
        args.append(source_language)
    if target_language:
        sql += " AND target_language = ?"
        args.append(target_language)
    rows = store.read(lambda c: c.execute(sql + " ORDER BY id", args).fetchall())
    return [MemoryUnit(r["source_text"], r["target_text"], "tmx", origin=r["origin"], decided_by=r["created_by"],
                       decided_at=r["created_at"], unit_id=r["id"]) for r in rows]


def load_memory(store: Store, source_language: str, target_language: str,
                *, fuzzy_threshold: float = FUZZY_THRESHOLD) -> TranslationMemory:
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


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def export_tmx(store: Store, out: Path, *, source_language: str | None = None,
               target_language: str | None = None) -> int:
    """Write the memory (reviewed and imported units) as TMX 1.4; returns the number of units.

    Placeholders are written as text (`[1]`, `[2]...[/2]`), which OER Adapt reads back as they were.
    """
    import xml.etree.ElementTree as ET

    languages = dict(
        (row[0], (row[1] or "und", row[2] or "und")) for row in store.read(lambda c: c.execute(
            "SELECT s.id, r.language, s.target_language FROM suggestions s JOIN resources r ON r.id = s.resource_id "
            "WHERE s.task = 'translate' AND s.status IN ('accepted', 'edited')").fetchall())
    )
    units = []
    for unit in reviewed_units(store, source_language, target_language):
        src, tgt = languages.get(unit.suggestion_id, ("und", "und"))
        units.append((src, tgt, unit))
    for row in store.read(lambda c: c.execute("SELECT * FROM tm_units ORDER BY id").fetchall()):
        if (source_language and row["source_language"] != source_language) or (
                target_language and row["target_language"] != target_language):
            continue
        units.append((row["source_language"], row["target_language"],
                      MemoryUnit(row["source_text"], row["target_text"], "tmx", origin=row["origin"],
                                 decided_by=row["created_by"], decided_at=row["created_at"], unit_id=row["id"])))
    sources = {src for src, _, _ in units}
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": "OER Adapt", "creationtoolversion": "0.1.0", "segtype": "paragraph",
        "o-tmf": "oer-adapt", "adminlang": "en", "datatype": "plaintext",
        "srclang": sources.pop() if len(sources) == 1 else "*all*",
    })
    body = ET.SubElement(root, "body")
    seen: set[tuple[str, str, str, str]] = set()
    count = 0
    for src, tgt, unit in units:
        key = (src, tgt, unit.source_text, unit.target_text)
        if key in seen:
            continue
        seen.add(key)
        attrs = {"srclang": src}
        if unit.decided_by:
            attrs["creationid"] = _clean(unit.decided_by)
        if unit.decided_at:
            attrs["creationdate"] = _tmx_date(unit.decided_at)
        tu = ET.SubElement(body, "tu", attrs)
        ET.SubElement(tu, "prop", type="x-oer-adapt-origin").text = _clean(unit.describe())
        for lang, text in ((src, unit.source_text), (tgt, unit.target_text)):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = _clean(text)
        count += 1
    ET.indent(root)
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
        return datetime.fromisoformat(stamp).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    except ValueError:
        return stamp


@dataclass(frozen=True)
class TmxImport:
    units: int  # new units stored
    duplicates: int  # already in the memory
    skipped: int  # translation units without a usable source and target
    pairs: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"imported": self.units, "duplicates": self.duplicates, "skipped": self.skipped, "pairs": self.pairs}


def parse_tmx(data: bytes, *, source_language: str | None = None) -> tuple[list[tuple[str, str, str, str]], int]:
    """(source_language, target_language, source_text, target_text) for every usable pair, and how
    many translation units were skipped. DTDs, entities and external references are refused."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    from models.translators.base import normalise_language

    try:
        root = DET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise HostileInput(f"the TMX file uses DTDs or entities, which are refused ({type(exc).__name__})",
                           hint="export it again without a DOCTYPE") from None
    except Exception as exc:  # noqa: BLE001 - ParseError and friends from the XML parser
        raise InputError(f"the TMX file is not well-formed XML: {exc}", hint="check the file; is it TMX?") from None
    if _local(root.tag) != "tmx":
        raise InputError(f"not a TMX file (the root element is <{_local(root.tag)}>)", hint="give a .tmx file")
    header = next((e for e in root if _local(e.tag) == "header"), None)
    header_src = header.get("srclang") if header is not None else None
    wanted_src = normalise_language(source_language) if source_language else (
        normalise_language(header_src) if header_src and header_src != "*all*" else None)
    body = next((e for e in root if _local(e.tag) == "body"), None)
    if body is None:
        raise EmptyDocument("the TMX file has no <body>", hint="export it again")
    pairs: list[tuple[str, str, str, str]] = []
    skipped = 0
    for tu in body:
        if _local(tu.tag) != "tu":
            continue
        variants = []
        for tuv in tu:
            if _local(tuv.tag) != "tuv":
                continue
            lang = tuv.get(_XML_LANG) or tuv.get("lang")
            seg = next((e for e in tuv if _local(e.tag) == "seg"), None)
            if not lang or seg is None:
                continue
            text = _seg_text(seg)
            if text.strip():
                variants.append((normalise_language(lang), text))
        src_lang = normalise_language(tu.get("srclang")) if tu.get("srclang") and tu.get("srclang") != "*all*" \
            else wanted_src
        if source_language:
            src_lang = wanted_src
        source = next(((lang, text) for lang, text in variants if lang == src_lang), None) if src_lang else (
            variants[0] if variants else None)
        targets = [(lang, text) for lang, text in variants if source is None or lang != source[0]]
        if source is None or not targets:
            skipped += 1
            continue
        for lang, text in targets:
            pairs.append((source[0], lang, source[1], text))
    return pairs, skipped


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _seg_text(seg: Any) -> str:
    """A <seg>'s text; TMX inline codes become OER Adapt placeholders: <bpt i="1">/<ept i="1"> a pair
    [1]...[/1], <ph x="2"> or <it> an atom [2]; <hi>/<sub> keep their text."""
    parts = [seg.text or ""]
    counter = 100  # numbers for codes without i/x, clear of the usual ones

    def walk(element: Any) -> None:
        nonlocal counter
        for child in element:
            name = _local(child.tag)
            if name == "bpt":
                parts.append(f"[{_int(child.get('i'), counter)}]")
            elif name == "ept":
                parts.append(f"[/{_int(child.get('i'), counter)}]")
            elif name in ("ph", "it", "ut"):
                counter += 1
                parts.append(f"[{_int(child.get('x'), counter)}]")
            else:
                parts.append(child.text or "")
                walk(child)
            parts.append(child.tail or "")

    walk(seg)
    return "".join(parts)


def _int(value: str | None, default: int) -> int:
    try:
        number = int(value or "")
        return number if 0 < number < 10_000 else default
    except ValueError:
        return default


def import_tmx(store: Store, path: Path, *, source_language: str | None = None, actor: str = "",
               max_bytes: int = 50 * 1024 * 1024) -> TmxImport:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"{path} does not exist", hint="give the path of a .tmx file")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(f"{path} is {size} bytes, over the limit of {max_bytes}",
                           hint="split it, or raise ADAPT_MAX_FILE_BYTES")
    pairs, skipped = parse_tmx(path.read_bytes(), source_language=source_language)
    origin = f"tmx:{path.name}"
    stamp = now()

    def insert(conn: sqlite3.Connection) -> tuple[int, int, dict[str, int]]:
        added = duplicates = 0
        per_pair: dict[str, int] = {}
        for src, tgt, source_text, target_text in pairs:
            cur = conn.execute(
                "INSERT OR IGNORE INTO tm_units (source_language, target_language, source_text, target_text, origin, "
                "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (src, tgt, source_text, target_text, origin, actor or None, stamp),
            )
            if cur.rowcount:
                added += 1
                per_pair[f"{src}→{tgt}"] = per_pair.get(f"{src}→{tgt}", 0) + 1
            else:
                duplicates += 1
        return added, duplicates, per_pair

    added, duplicates, per_pair = store.write(insert)
    return TmxImport(added, duplicates, skipped, per_pair)


def memory_origin_signature(match: MemoryMatch) -> dict[str, Any]:
    """The model signature stored with a suggestion that came from the memory."""
    return {"engine": "memory", "model": "translation-memory", "version": "1",
            "settings": {"match": "exact" if match.similarity >= 100 else "fuzzy", **match.unit.origin_json()}}


def describe_matches(matches: Sequence[MemoryMatch]) -> list[dict[str, Any]]:
    return [m.to_json() for m in matches]
