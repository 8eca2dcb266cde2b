"""The catalogue: add items (files, folders, JSONL records, review resources), keep the vector index
beside the database in step with them, and find the items related to a text.

Work is done once: a passage's vector is looked up by (embedder signature, text hash) before the model
is called, an item whose text did not change is not touched (a changed licence or URL only updates
its row), and the index file is extended in place when items were only added.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from adapt import languages
from adapt.catalogue import calibration
from adapt.catalogue import repository as repo
from adapt.catalogue.chunking import chunk_texts
from adapt.catalogue.embedding_cache import EmbeddingCache
from adapt.catalogue.records import BadLine, Entry, bad_lines_error, normalise_language, read_jsonl
from adapt.document import Document
from adapt.errors import InputError, UnreadableFile, UserError
from adapt.progress import Progress
from adapt.store import Store
from models.index import DEFAULT_EXACT_LIMIT, HnswSettings, VectorIndex

LicensePredicate = Callable[[str | None, str | None], bool]
log = logging.getLogger(__name__)
BATCH_ITEMS = 2000  # entries embedded and written per transaction: an interrupted add keeps its work


@dataclass
class AddReport:
    added: int = 0
    updated: int = 0
    relabelled: int = 0
    unchanged: int = 0
    duplicates: int = 0  # the same key twice in one add: the last one wins
    passages: int = 0  # passages written
    embedded: int = 0  # texts sent to the model (0 when everything was cached)
    bad: list[BadLine | str] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)  # in a folder, files of no format OER Adapt reads

    def to_json(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "relabelled": self.relabelled,
                "unchanged": self.unchanged, "duplicates": self.duplicates, "passages": self.passages,
                "embedded": self.embedded, "bad": [str(b) for b in self.bad], "items": self.item_ids,
                "other_files": self.other_files}


@dataclass(frozen=True)
class OtherFile:
    """A file in an added folder that is not catalogued: no document OER Adapt reads (an image, a
    LICENSE file), or a book's collection file whose modules are catalogued one by one."""

    path: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}: {self.why}"


@dataclass(frozen=True)
class Related:
    """One related item: what it is, how similar, and why (its passage that matched best)."""

    item: repo.Item
    similarity: float
    passage: str
    query_passage: str | None  # which part of the query matched (for a multi-passage query)
    method: str  # exact or hnsw
    # The share of the catalogue's chance matches this one beats (adapt.catalogue.calibration); None
    # for a catalogue too small to have a scale. Ranking stays by similarity.
    relatedness: float | None = None

    @property
    def related(self) -> bool:
        return calibration.is_related(self.relatedness)

    def to_json(self) -> dict[str, Any]:
        return {**self.item.to_json(), "similarity": round(self.similarity, 4), "why": self.passage,
                "query_passage": self.query_passage, "method": self.method,
                "relatedness": None if self.relatedness is None else round(self.relatedness, 4),
                "relatedness_label": calibration.label(self.relatedness)}


def document_entry(document: Document, *, key: str, source: str, language: str | None = None,
                   license: str | None = None, resource_id: int | None = None) -> Entry:
    """An item from a parsed document: its segments, chunked into passages."""
    meta = document.metadata
    passages = tuple(chunk_texts(s.plain_text() for s in document.translatable_segments()))
    if not passages:
        raise InputError(f"{document.source_name} has no text to catalogue", hint="check that it is the file you meant")
    lang = language or meta.get("language")
    try:
        lang = normalise_language(lang)
    except ValueError as exc:
        raise InputError(str(exc), hint="pass --lang with a code such as en or pt-BR") from None
    subject = meta.get("subject") or meta.get("keywords") or []
    if isinstance(subject, str):
        subject = [subject]
    license = license or meta.get("license") or _detected_license(document)
    return Entry(key=key, title=_title(document), description=meta.get("description"),
                 url=meta.get("url"), language=lang, license=license,
                 subject=tuple(str(s) for s in subject), source=source, format=document.format, passages=passages,
                 resource_id=resource_id)


def _title(document: Document) -> str:
    """The document's title, with its book's when it is part of one ("Analyzing Findings · Psychology 2e"):
    a module's title alone does not say where it comes from."""
    meta = document.metadata
    title = str(meta.get("title") or document.source_name)
    book = meta.get("book")
    book_title = str(book.get("title") or "").strip() if isinstance(book, dict) else ""
    return f"{title} · {book_title}" if book_title and book_title != title else title


def _detected_license(document: Document) -> str | None:
    """The licence the document states (its metadata, a book's collection file, licence markup), as
    detected for import; None when unknown. Never a guess (adapt.licenses.detect)."""
    from adapt.licenses.detect import detect_license

    found = detect_license(document).license
    return found.id if found.known else None


class Catalogue:
    def __init__(self, store: Store, embedder, *, index_folder: Path | None = None,
                 exact_limit: int = DEFAULT_EXACT_LIMIT, hnsw: HnswSettings | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.cache = EmbeddingCache(store, embedder)
        self.index_folder = index_folder
        self.exact_limit = exact_limit
        self.hnsw = hnsw or HnswSettings()
        self._index: VectorIndex | None = None
        self._index_lock = threading.RLock()
        self._masks: dict[tuple, np.ndarray] = {}
        self._background: tuple[Any, calibration.Background] | None = None  # (generation, scale)
        self.index_rebuilds = 0  # how many times the index was built from scratch (tests watch it)

    # adding ----------------------------------------------------------------------------------------
    def add(self, entries: Iterable[Entry | BadLine | OtherFile], *, progress: Progress | None = None,
            total: int | None = None) -> AddReport:
        """Add or update entries, in batches: embed what is new, then write the batch in one transaction."""
        report = AddReport()
        batch: dict[str, Entry] = {}
        seen = 0
        for entry in entries:
            if isinstance(entry, OtherFile):
                report.other_files.append(str(entry))
                continue
            if isinstance(entry, BadLine):
                report.bad.append(entry)
                continue
            if entry.key in batch:
                report.duplicates += 1
            batch[entry.key] = entry
            seen += 1
            if len(batch) >= BATCH_ITEMS:
                self._add_batch(list(batch.values()), report)
                batch = {}
                if progress:
                    progress(seen, total or seen)
        if batch:
            self._add_batch(list(batch.values()), report)
        if progress:
            progress(seen, total or seen)
        return report

    def _add_batch(self, entries: list[Entry], report: AddReport) -> None:
        current = self.store.read(lambda c: repo.existing(c, [e.key for e in entries]))
        changed = [e for e in entries if e.key not in current or current[e.key]["content_hash"] != e.content_hash]
        before = self.cache.stats.embedded
        self.cache.ensure([p for e in changed for p in e.passages])
        report.embedded += self.cache.stats.embedded - before
        counts = repo.WriteCounts()
        ids = self.store.write(lambda c: repo.write_entries(c, entries, counts))
        report.added += counts.added
        report.updated += counts.updated
        report.relabelled += counts.relabelled
        report.unchanged += counts.unchanged
        report.passages += counts.chunks_written
        report.item_ids.extend(ids)

    def entries_from_paths(self, paths: Sequence[Path], *, max_bytes: int, language: str | None = None,
                           license: str | None = None) -> Iterable[Entry | BadLine | OtherFile]:
        """Entries from files, folders (every supported file inside, recursively) and JSONL files. In a
        folder, files of no format OER Adapt reads (a book's images, its LICENSE) are passed over and
        named; a named file of no known format, or a damaged document anywhere, is an error."""
        from adapt.errors import UnsupportedFormat
        from adapt.formats import read_document

        for path in paths:
            path = Path(path)
            if not path.exists():
                raise UnreadableFile(f"{path} does not exist", hint="check the path")
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) \
                if path.is_dir() else [path]
            for file in files:
                in_book = file.name.endswith(".collection.xml") and (file.parent.parent / "modules").is_dir()
                if path.is_dir() and in_book:
                    # The whole book again: its modules are items of their own (with the book's title and licence).
                    yield OtherFile(str(file), "a book's collection file: its modules are catalogued one by one")
                    continue
                if file.suffix.lower() == ".jsonl":
                    yield from read_jsonl(file)
                    continue
                try:
                    document, _ = read_document(file, max_bytes=max_bytes)
                except UnsupportedFormat as exc:
                    if path.is_dir() and exc.message.startswith("cannot tell the format"):
                        yield OtherFile(str(file), "not a document OER Adapt reads")
                        continue
                    raise
                except InputError as exc:
                    if path.is_dir():  # a folder holds other things too: say what was skipped
                        yield BadLine(0, f"{file}: {exc.message}")
                        continue
                    raise
                yield document_entry(document, key=f"file:{file.resolve()}", source=str(file), language=language,
                                     license=license)

    def add_paths(self, paths: Sequence[Path], *, max_bytes: int, language: str | None = None,
                  license: str | None = None, skip_bad: bool = False, progress: Progress | None = None) -> AddReport:
        entries = list(self.entries_from_paths(paths, max_bytes=max_bytes, language=language, license=license))
        bad = [e for e in entries if isinstance(e, BadLine)]
        others = sum(1 for e in entries if isinstance(e, OtherFile))
        if bad and not skip_bad:
            raise bad_lines_error(Path(paths[0]) if len(paths) == 1 else Path("the input"), bad)
        return self.add(entries, progress=progress, total=len(entries) - len(bad) - others)

    def remove(self, item_ids: Sequence[int]) -> int:
        return self.store.write(lambda c: repo.remove_items(c, item_ids))

    # reading ---------------------------------------------------------------------------------------
    def items(self, *, limit: int | None = None) -> list[repo.Item]:
        sql = "SELECT * FROM catalogue_items ORDER BY id" + (f" LIMIT {int(limit)}" if limit else "")
        return [repo.item_from_row(r) for r in self.store.read(lambda c: c.execute(sql).fetchall())]

    def item(self, item_id: int) -> repo.Item:
        found = self.store.read(lambda c: repo.items_by_id(c, [item_id]))
        if item_id not in found:
            raise UserError(f"there is no catalogue item {item_id}", hint="list them with `adapt catalog list`")
        return found[item_id]

    def item_by_key(self, key: str) -> repo.Item | None:
        row = self.store.read(lambda c: c.execute("SELECT * FROM catalogue_items WHERE key = ?", (key,)).fetchone())
        return repo.item_from_row(row) if row else None

    def passages(self, item_id: int) -> list[str]:
        return [r[0] for r in self.store.read(lambda c: c.execute(
            "SELECT text FROM catalogue_chunks WHERE item_id = ? ORDER BY position", (item_id,)).fetchall())]

    def stats(self) -> dict[str, Any]:
        def count(conn: sqlite3.Connection) -> dict[str, Any]:
            return {"items": conn.execute("SELECT COUNT(*) FROM catalogue_items").fetchone()[0],
                    "passages": conn.execute("SELECT COUNT(*) FROM catalogue_chunks").fetchone()[0],
                    "vectors": conn.execute("SELECT COUNT(*) FROM embedding_cache WHERE embedder = ?",
                                            (self.cache.key,)).fetchone()[0],
                    "languages": dict(conn.execute("SELECT COALESCE(language, '?'), COUNT(*) FROM catalogue_items "
                                                   "GROUP BY 1 ORDER BY 2 DESC").fetchall()),
                    "generation": repo.generation(conn)}

        out = self.store.read(count)
        out["embedder"] = self.cache.key
        out["index_folder"] = str(self.folder) if self.folder else None
        return out

    # the index -------------------------------------------------------------------------------------
    @property
    def folder(self) -> Path | None:
        if self.index_folder is None:
            return None
        slug = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in self.cache.key)[:120]
        return self.index_folder / slug

    def index(self, *, progress: Progress | None = None) -> VectorIndex:
        """The index, brought up to date with the catalogue (built, extended or loaded as needed). One caller
        at a time: two UI requests that find it stale would otherwise both rebuild it into one folder."""
        with self._index_lock:
            return self._current_index(progress)

    def _current_index(self, progress: Progress | None) -> VectorIndex:
        generation = self.store.read(repo.generation)
        index = self._index
        if index is None and self.folder is not None:
            index = VectorIndex.load(self.folder, exact_limit=self.exact_limit)
            if index is not None and index.state.get("embedder") != self.cache.key:
                index = None
        if index is not None:  # ef at query time is a setting of this catalogue, not of the files
            index.hnsw_settings = replace(index.hnsw_settings, expansion_search=self.hnsw.expansion_search)
        if index is not None and index.state.get("generation") == generation:
            self._index = index
            return index
        index = self._catch_up(index, generation, progress)
        if self.folder is not None:
            try:
                index.save(self.folder)
            except OSError as exc:
                # Derived data: a read-only or full disk costs a rebuild in memory next time, not the search.
                log.warning("cannot save the vector index in %s (%s): using it from memory", self.folder, exc)
            else:
                index = VectorIndex.load(self.folder, exact_limit=self.exact_limit) or index
        self._index = index
        self._masks.clear()
        return index

    def _catch_up(self, index: VectorIndex | None, generation: int, progress: Progress | None) -> VectorIndex:
        state = {"generation": generation, "embedder": self.cache.key}
        if index is not None and len(index):
            top = int(index.keys[-1])
            kept = self.store.read(lambda c: c.execute(
                "SELECT COUNT(*) FROM catalogue_chunks WHERE id <= ?", (top,)).fetchone()[0])
            if kept == len(index):  # nothing removed or replaced: only new passages to add
                vectors, keys, items = self._vectors(after=top, progress=progress)
                grown = index.append(vectors, keys, extras={"items": items})
                grown.state.update(state)
                return grown
        self.index_rebuilds += 1
        vectors, keys, items = self._vectors(after=None, progress=progress)
        return VectorIndex.build(vectors, keys, exact_limit=self.exact_limit, hnsw=self.hnsw, state=state,
                                 extras={"items": items})

    def _vectors(self, *, after: int | None, progress: Progress | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        where = "" if after is None else f"WHERE c.id > {int(after)}"
        # Passages without a vector from this embedder (another embedder built the catalogue): embed them.
        missing = self.store.read(lambda c: c.execute(
            f"SELECT c.text FROM catalogue_chunks c LEFT JOIN embedding_cache e ON e.embedder = ? "
            f"AND e.text_hash = c.text_hash {where} {'AND' if where else 'WHERE'} e.text_hash IS NULL",
            (self.cache.key,)).fetchall())
        if missing:
            self.cache.ensure([r[0] for r in missing], progress=progress)
        rows = self.store.read(lambda c: c.execute(
            f"SELECT c.id, c.item_id, e.vector FROM catalogue_chunks c JOIN embedding_cache e ON e.embedder = ? "
            f"AND e.text_hash = c.text_hash {where} ORDER BY c.id", (self.cache.key,)).fetchall())
        dim = self.embedder.dim
        vectors = np.frombuffer(b"".join(r[2] for r in rows), dtype="<f4").reshape(len(rows), dim) if rows \
            else np.zeros((0, dim), np.float32)
        keys = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        items = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
        return vectors.astype(np.float32), keys, items

    # searching -------------------------------------------------------------------------------------
    def background(self) -> calibration.Background:
        """The catalogue's chance-match scale, made once per catalogue generation (a fraction of a
        second: a few thousand small products) and kept in memory."""
        index = self.index()
        generation = index.state.get("generation")
        with self._index_lock:
            if self._background is None or self._background[0] != generation:
                vectors = np.asarray(index.vectors, dtype=np.float32)
                self._background = (generation, calibration.background(vectors, index.extras["items"]))
            return self._background[1]

    def _allowed(self, index: VectorIndex, *, language: str | None, license_of_source: str | None,
                 remix: LicensePredicate | None, exclude: Sequence[int]) -> np.ndarray | None:
        """A boolean mask over index rows for the filters (None: no filter)."""
        if language is None and remix is None and not exclude:
            return None
        key = (language, license_of_source, remix, tuple(exclude), index.state.get("generation"))
        if key in self._masks:
            return self._masks[key]
        clauses, args = [], []
        if language:
            # The language and its regional variants both ways (stored tags are canonical: adapt.languages).
            wanted = languages.parse(language)
            base = languages.primary(wanted)
            clauses.append("(language = ? OR language = ? OR language LIKE ?)")
            args += [wanted, base, base + "-%"]
        if remix is not None:
            licences = [r[0] for r in self.store.read(lambda c: c.execute(
                "SELECT DISTINCT license FROM catalogue_items").fetchall())]
            allowed_licences = [lic for lic in licences if remix(license_of_source, lic)]
            parts = []
            if None in allowed_licences:
                parts.append("license IS NULL")
            named = [lic for lic in allowed_licences if lic is not None]
            if named:
                parts.append(f"license IN ({','.join('?' * len(named))})")
                args += named
            clauses.append("(" + (" OR ".join(parts) or "1 = 0") + ")")
        if exclude:
            clauses.append(f"id NOT IN ({','.join('?' * len(exclude))})")
            args += [str(i) for i in exclude]
        sql = "SELECT id FROM catalogue_items WHERE " + " AND ".join(clauses)
        ids = np.fromiter((r[0] for r in self.store.read(lambda c: c.execute(sql, args).fetchall())), dtype=np.int64)
        mask = np.isin(index.extras["items"], ids)
        if len(self._masks) > 32:
            self._masks.clear()
        self._masks[key] = mask
        return mask

    def search(self, query_vectors: np.ndarray, *, k: int = 10, query_passages: Sequence[str] | None = None,
               language: str | None = None, license_of_source: str | None = None,
               remix: LicensePredicate | None = None, exclude: Sequence[int] = (),
               method: str = "auto") -> list[Related]:
        """The k items most similar to any of the query vectors, best first, one row per item."""
        if k < 1:
            raise UserError("--k must be at least 1", hint="ask for 1 or more results")
        index = self.index()
        if not len(index):
            return []
        allowed = self._allowed(index, language=language, license_of_source=license_of_source, remix=remix,
                                exclude=exclude)
        query_vectors = np.atleast_2d(np.asarray(query_vectors, dtype=np.float32))
        best: dict[int, tuple[float, int, int]] = {}  # item -> (score, chunk key, query number)
        for qn, vector in enumerate(query_vectors):
            # Items have several passages: ask for more passages than items, widen until k items are found.
            want = k * 4
            while True:
                hits = index.search(vector, want, allowed=allowed, method=method)
                rows = index.rows_of(hits.keys)
                items = index.extras["items"][rows]
                found: dict[int, tuple[float, int]] = {}
                for item, key, score in zip(items.tolist(), hits.keys.tolist(), hits.scores.tolist()):
                    if item not in found:
                        found[item] = (score, key)
                if len(found) >= k or len(hits.keys) < want or want >= len(index):
                    break
                want *= 4
            last_method = hits.method
            for item, (score, key) in list(found.items())[:k]:
                if item not in best or score > best[item][0]:
                    best[item] = (score, key, qn)
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:k]
        details = self.store.read(lambda c: repo.items_by_id(c, [item for item, _ in ranked]))
        texts = self.store.read(lambda c: repo.chunk_texts(c, [key for _, (_, key, _) in ranked]))
        scale = self.background()
        return [Related(details[item], float(score), texts.get(key, ""),
                        query_passages[qn] if query_passages and len(query_passages) > 1 else None, last_method,
                        scale.relatedness(float(score)))
                for item, (score, key, qn) in ranked if item in details]

    def is_empty(self) -> bool:
        return self.store.read(lambda c: c.execute("SELECT 1 FROM catalogue_chunks LIMIT 1").fetchone()) is None

    def embed_query(self, text: str) -> np.ndarray:
        """One search text's vector. Embedded as a *passage*, like the catalogue: on NTREX pt→en, a
        Portuguese passage finds its English translation 91% of the time, an e5 "query:" only 75%
        (scripts/eval_embedders.py), and searching is symmetric here (text against text)."""
        return self.embedder.embed_passages([text])

    def prepare(self, texts: Sequence[str], *, progress: Progress | None = None) -> int:
        """Embed search texts ahead of time, in batches (e.g. every segment of a resource opened for
        review); later searches for them skip the model. Returns how many were embedded now."""
        return self.cache.ensure([t for t in texts if t.strip()], progress=progress)

    def related_to_text(self, text: str, *, cached: bool = True, **filters: Any) -> list[Related]:
        """Items related to one short text (a segment). `cached=False` embeds it afresh and keeps nothing
        (what the latency benchmark measures)."""
        if not text.strip():
            raise UserError("there is no text to find related resources for", hint="choose a segment with words")
        if self.is_empty():
            return []
        vector = self.cache.embed([text]) if cached else self.embed_query(text)
        return self.search(vector, query_passages=[text], **filters)

    def related_to_passages(self, passages: Sequence[str], *, max_passages: int = 32, **filters: Any) -> list[Related]:
        """Items related to a document: each of its first passages searches; an item scores its best match.
        The passages go through the passage cache, so asking again about the same file embeds nothing."""
        passages = [p for p in passages if p.strip()][:max_passages]
        if not passages:
            raise UserError("there is no text to find related resources for", hint="give a file with some text")
        if self.is_empty():
            return []  # nothing to compare with: do not load a model for nothing
        return self.search(self.cache.embed(passages), query_passages=passages, **filters)


def remix_predicate() -> LicensePredicate:
    """The licence compatibility rule, owned by adapt.licenses (one module owns that logic)."""
    try:
        from adapt.licenses import compatible_for_remix
    except ImportError:
        raise UserError("--license-compatible needs the licence rules (adapt.licenses), missing from this build",
                        hint="update OER Adapt, or leave out --license-compatible") from None
    return compatible_for_remix
