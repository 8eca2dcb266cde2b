"""A vector index that needs no server: exact search (one matrix product) while that is fastest, an
HNSW graph (usearch) above `exact_limit` rows, chosen automatically.

Vectors are L2-normalised float32 rows, each with an integer key (the catalogue's chunk id); the score
is the inner product (cosine). On disk an index is a folder beside the SQLite file:

    vectors.npy   float32 rows (memory-mapped on load: opening a big index reads nothing up front)
    keys.npy      int64 key of each row, ascending
    hnsw.usearch  the graph, only when the index has more than `exact_limit` rows
    state.json    what it was built from (the catalogue's generation, embedder signature, counts)

The folder is derived data: the catalogue rebuilds it from SQLite whenever it is missing or stale.
Recall of the graph against exact search is measured by scripts/bench_related.py, not assumed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

# Below this many rows a single exact matrix product beats walking the graph at ef=400 (and is exact):
# measured on the 2-core project machine by scripts/bench_related.py (README, "Related resources"):
# exact 2.4 ms vs graph 6.1 ms at 20k rows, 9.3 ms vs 6.3 ms at 50k.
DEFAULT_EXACT_LIMIT = 30_000
# Files up to this size are hashed whole when saved and checked on load; a bigger one is hashed in 64
# blocks of 1 MiB spread over it, so that opening a big index stays cheap (it is memory-mapped).
FULL_HASH_BYTES = 64 * 1024 * 1024
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HnswSettings:
    connectivity: int = 16  # M: links per node
    expansion_add: int = 128  # ef_construction
    # ef at query time (raised automatically when more results are wanted). e5's cosines are compressed
    # (0.75-0.92), which makes a graph walk less sure: at 100k items ef=96 gave recall@10 0.95, ef=400
    # 0.99 for ~1 ms more (scripts/bench_related.py).
    expansion_search: int = 400
    dtype: str = "f32"

    def to_json(self) -> dict[str, Any]:
        return {"connectivity": self.connectivity, "expansion_add": self.expansion_add,
                "expansion_search": self.expansion_search, "dtype": self.dtype}


@dataclass
class Hits:
    """Search results for one query: keys and scores, best first."""

    keys: np.ndarray
    scores: np.ndarray
    method: str  # "exact" or "hnsw"


@dataclass
class VectorIndex:
    vectors: np.ndarray  # n × dim float32 (maybe a memmap)
    keys: np.ndarray  # n int64, ascending
    exact_limit: int = DEFAULT_EXACT_LIMIT
    hnsw_settings: HnswSettings = field(default_factory=HnswSettings)
    state: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, np.ndarray] = field(default_factory=dict)  # per-row data kept with it (e.g. item ids)
    # Rows with byte-identical vectors (the same text in several items) share one graph node: copies
    # would fill each other's neighbour lists and cut their cluster off from the rest of the graph.
    groups: np.ndarray | None = None  # n int64: the graph node of each row
    _graph: Any = None
    _members: tuple[np.ndarray, np.ndarray] | None = None  # rows ordered by group, and where each group starts
    _digests: dict[bytes, int] | None = None

    # building ------------------------------------------------------------------------------------
    @classmethod
    def build(cls, vectors: np.ndarray, keys: np.ndarray, *, exact_limit: int = DEFAULT_EXACT_LIMIT,
              hnsw: HnswSettings | None = None, state: dict[str, Any] | None = None,
              extras: dict[str, np.ndarray] | None = None, threads: int = 0) -> VectorIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        if vectors.ndim != 2 or len(vectors) != len(keys):
            raise ValueError("vectors must be n × dim with one key per row")
        if len(keys) > 1 and np.any(np.diff(keys) <= 0):
            raise ValueError("keys must be unique and ascending")
        extras = {name: np.asarray(a) for name, a in (extras or {}).items()}
        if any(len(a) != len(keys) for a in extras.values()):
            raise ValueError("every extra array needs one value per row")
        index = cls(vectors, keys, exact_limit, hnsw or HnswSettings(), dict(state or {}), extras)
        index.groups, firsts = index._assign_groups(vectors, start=0)
        if index.uses_graph:
            index._graph = index._new_graph()
            index._graph.add(np.arange(len(firsts), dtype=np.int64), vectors[firsts], threads=threads)
        return index

    def _assign_groups(self, vectors: np.ndarray, *, start: int) -> tuple[np.ndarray, np.ndarray]:
        """Group ids for new rows (reusing the groups of identical vectors); returns (groups, rows of the
        new rows that opened a new group, relative to `vectors`)."""
        import hashlib

        if self._digests is None:
            self._digests = {}
            if self.groups is not None and start:
                old = np.asarray(self.vectors)
                for row, group in enumerate(self.groups.tolist()):
                    self._digests.setdefault(hashlib.blake2b(old[row].tobytes(), digest_size=16).digest(), group)
        next_group = (int(self.groups.max()) + 1) if self.groups is not None and len(self.groups) and start else 0
        out = np.empty(len(vectors), dtype=np.int64)
        firsts = []
        for row in range(len(vectors)):
            digest = hashlib.blake2b(vectors[row].tobytes(), digest_size=16).digest()
            group = self._digests.get(digest)
            if group is None:
                group = self._digests[digest] = next_group
                next_group += 1
                firsts.append(row)
            out[row] = group
        return out, np.asarray(firsts, dtype=np.int64)

    def append(self, vectors: np.ndarray, keys: np.ndarray, *, extras: dict[str, np.ndarray] | None = None,
               threads: int = 0) -> VectorIndex:
        """A new index with rows added (keys above every existing key); the graph grows in place."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        if len(keys) and len(self.keys) and keys.min() <= self.keys.max():
            raise ValueError("appended keys must be above every existing key")
        if self.groups is None:
            return VectorIndex.build(np.vstack([np.asarray(self.vectors), vectors]), np.concatenate([self.keys, keys]),
                                     exact_limit=self.exact_limit, hnsw=self.hnsw_settings, state=self.state,
                                     extras={name: np.concatenate([np.asarray(a), np.asarray((extras or {})[name])])
                                             for name, a in self.extras.items()}, threads=threads)
        new_groups, firsts = self._assign_groups(vectors, start=len(self.keys))
        merged = VectorIndex(np.vstack([np.asarray(self.vectors), vectors]) if len(self.keys) else vectors,
                             np.concatenate([self.keys, keys]), self.exact_limit, self.hnsw_settings,
                             dict(self.state),
                             {name: np.concatenate([np.asarray(a), np.asarray((extras or {})[name])])
                              for name, a in self.extras.items()},
                             np.concatenate([self.groups, new_groups]))
        merged._digests = self._digests
        if merged.uses_graph:
            if self._graph is not None and len(self._graph) == (int(self.groups.max()) + 1 if len(self.groups) else 0):
                merged._graph = self._graph
                if len(firsts):
                    merged._graph.add(new_groups[firsts], vectors[firsts], threads=threads)
            else:
                merged._graph = merged._build_graph(threads)
        return merged

    def _new_graph(self):
        from usearch.index import Index

        s = self.hnsw_settings
        return Index(ndim=self.dim, metric="ip", dtype=s.dtype, connectivity=s.connectivity,
                     expansion_add=s.expansion_add, expansion_search=s.expansion_search)

    def _build_graph(self, threads: int = 0):
        assert self.groups is not None  # groups are assigned before any graph is built
        graph = self._new_graph()
        groups, firsts = np.unique(self.groups, return_index=True)
        graph.add(groups.astype(np.int64), np.asarray(self.vectors)[firsts], threads=threads)
        return graph

    # facts ---------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.keys)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1]) if self.vectors.ndim == 2 else 0

    @property
    def uses_graph(self) -> bool:
        return len(self.keys) > self.exact_limit

    @property
    def distinct_vectors(self) -> int:
        return int(self.groups.max()) + 1 if self.groups is not None and len(self.groups) else len(self.keys)

    def rows_of(self, keys: np.ndarray) -> np.ndarray:
        """Row numbers of keys (all must be present)."""
        return np.searchsorted(self.keys, keys)

    def _rows_of_groups(self, groups: np.ndarray) -> list[np.ndarray]:
        if self._members is None:
            assert self.groups is not None  # only graph search asks, and it assigns groups first
            order = np.argsort(self.groups, kind="stable")
            starts = np.searchsorted(self.groups[order], np.arange(self.distinct_vectors + 1))
            self._members = (order, starts)
        order, starts = self._members
        return [order[starts[g]:starts[g + 1]] for g in groups.tolist()]

    # searching -----------------------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int, *, allowed: np.ndarray | None = None,
               method: str = "auto") -> Hits:
        """The k best rows for one query vector. `allowed` is a boolean mask over rows (a filter).

        auto: exact when the index (or the allowed subset) is small, the graph otherwise; a graph
        search that a filter leaves short is widened, then answered exactly over the allowed rows.
        """
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        n = len(self.keys)
        if n == 0 or k <= 0:
            return Hits(np.zeros(0, np.int64), np.zeros(0, np.float32), "exact")
        if method not in ("auto", "exact", "hnsw"):
            raise ValueError(f"unknown search method {method!r}")
        allowed_count = n if allowed is None else int(allowed.sum())
        if allowed_count == 0:
            return Hits(np.zeros(0, np.int64), np.zeros(0, np.float32), "exact")
        use_graph = method == "hnsw" or (method == "auto" and self.uses_graph and allowed_count > self.exact_limit)
        if use_graph:
            hits = self._graph_search(query, k, allowed, allowed_count)
            if hits is not None:
                return hits
        return self._exact(query, k, allowed)

    def _exact(self, query: np.ndarray, k: int, allowed: np.ndarray | None) -> Hits:
        with one_blas_thread():
            if allowed is None:
                scores = np.asarray(self.vectors) @ query
                keys = self.keys
            else:
                rows = np.flatnonzero(allowed)
                scores = np.asarray(self.vectors[rows]) @ query
                keys = self.keys[rows]
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        order = top[np.argsort(-scores[top], kind="stable")]
        return Hits(keys[order], scores[order].astype(np.float32), "exact")

    def _graph_search(self, query: np.ndarray, k: int, allowed: np.ndarray | None, allowed_count: int) -> Hits | None:
        if self.groups is None:
            self.groups, _ = self._assign_groups(np.asarray(self.vectors), start=0)
        if self._graph is None:
            self._graph = self._build_graph()
        nodes = self.distinct_vectors
        n = len(self.keys)
        # Each node stands for one or more rows; a filter removes some: oversample, widen, else give up.
        want = k if allowed is None else int(min(nodes, np.ceil(k * n / allowed_count * 1.5)))
        while True:
            count = min(nodes, max(want, 1))
            self._graph.expansion_search = max(self.hnsw_settings.expansion_search, count)
            matches = self._graph.search(query, count)
            groups = np.asarray(matches.keys, dtype=np.int64)
            scores = 1.0 - np.asarray(matches.distances, dtype=np.float32)  # usearch "ip" distance = 1 - dot
            members = self._rows_of_groups(groups)
            rows = np.concatenate(members) if members else np.zeros(0, np.int64)
            row_scores = np.repeat(scores, [len(m) for m in members])
            if allowed is not None:
                keep = allowed[rows]
                rows, row_scores = rows[keep], row_scores[keep]
            if len(rows) >= k or count >= nodes:
                return Hits(self.keys[rows[:k]], row_scores[:k], "hnsw")
            if count >= 4096:
                return None
            want = count * 4

    # files ---------------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write the index atomically enough: files go to a temporary folder that replaces the old one."""
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
        np.save(tmp / "vectors.npy", np.asarray(self.vectors, dtype=np.float32))
        np.save(tmp / "keys.npy", self.keys)
        if self.groups is not None:
            np.save(tmp / "groups.npy", self.groups)
        for name, values in self.extras.items():
            np.save(tmp / f"extra-{name}.npy", np.asarray(values))
        if self._graph is not None and self.uses_graph:
            self._graph.save(str(tmp / "hnsw.usearch"))
        state = {**self.state, "rows": len(self.keys), "distinct_vectors": self.distinct_vectors, "dim": self.dim,
                 "exact_limit": self.exact_limit,
                 "hnsw": self.hnsw_settings.to_json(), "graph": self.uses_graph,
                 "files": {p.name: file_checksum(p) for p in sorted(tmp.glob("*.npy"))}}
        (tmp / "state.json").write_text(json.dumps(state, indent=1), encoding="utf-8")
        old = folder.with_name(folder.name + ".old")
        if folder.exists():
            if old.exists():
                _remove_tree(old)
            os.replace(folder, old)
        os.replace(tmp, folder)
        if old.exists():
            _remove_tree(old)

    @classmethod
    def load(cls, folder: Path, *, exact_limit: int | None = None) -> VectorIndex | None:
        """The index in `folder`, or None when there is none or it is damaged (an empty, truncated or
        zeroed file, a size, shape or checksum that does not match state.json, a file where the folder
        should be): it is derived data, so the caller rebuilds it."""
        folder = Path(folder)
        if not (folder / "state.json").is_file():
            return None
        try:
            return cls._load_checked(folder, exact_limit)
        except Exception as exc:  # noqa: BLE001 - numpy says EOFError, ValueError, OSError...: all mean "rebuild"
            log.warning("the vector index in %s is damaged (%s: %s): it will be rebuilt", folder,
                        type(exc).__name__, exc)
            return None

    @classmethod
    def _load_checked(cls, folder: Path, exact_limit: int | None) -> VectorIndex:
        state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        files = state.get("files")
        if not isinstance(files, dict) or "vectors.npy" not in files or "keys.npy" not in files:
            raise ValueError("state.json has no checksums (written by an older version)")
        for name, expected in files.items():
            if file_checksum(folder / name) != expected:
                raise ValueError(f"{name} does not match the size or checksum in state.json")
        vectors = np.load(folder / "vectors.npy", mmap_mode="r")
        keys = np.load(folder / "keys.npy")
        extras = {p.name[len("extra-"):-len(".npy")]: np.load(p) for p in folder.glob("extra-*.npy")}
        groups = np.load(folder / "groups.npy") if (folder / "groups.npy").exists() else None
        if vectors.ndim != 2 or vectors.dtype != np.float32 or len(vectors) != state.get("rows") \
                or vectors.shape[1] != state.get("dim") or keys.ndim != 1 or len(vectors) != len(keys) \
                or any(len(a) != len(keys) for a in extras.values()) \
                or (groups is not None and len(groups) != len(keys)):
            raise ValueError(f"shapes do not match state.json: vectors {vectors.shape}, keys {keys.shape}")
        hnsw = HnswSettings(**state.get("hnsw", {}))
        limit = exact_limit if exact_limit is not None else state.get("exact_limit", DEFAULT_EXACT_LIMIT)
        index = cls(vectors, keys, limit, hnsw, state, extras, groups)
        graph_file = folder / "hnsw.usearch"
        if index.uses_graph and graph_file.exists():
            from usearch.index import Index

            graph = Index(ndim=index.dim, metric="ip", dtype=hnsw.dtype, connectivity=hnsw.connectivity,
                          expansion_add=hnsw.expansion_add, expansion_search=hnsw.expansion_search)
            try:
                graph.load(str(graph_file))
            except Exception:  # noqa: BLE001 - a damaged graph is rebuilt from the vectors on first search
                return index
            if len(graph) == index.distinct_vectors:
                index._graph = graph
        return index

    def size_on_disk(self, folder: Path) -> int:
        return sum(p.stat().st_size for p in Path(folder).iterdir() if p.is_file())


def file_checksum(path: Path) -> dict[str, Any]:
    """Size and SHA-256 of a file (whole up to FULL_HASH_BYTES, else of 64 blocks spread over it)."""
    size = path.stat().st_size
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        if size <= FULL_HASH_BYTES:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
            return {"bytes": size, "sha256": digest.hexdigest()}
        for i in range(64):
            handle.seek((size - (1 << 20)) * i // 63)
            digest.update(handle.read(1 << 20))
    return {"bytes": size, "sha256-sampled": digest.hexdigest()}


@cache
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


_blas_lock = threading.Lock()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Exact search's matrix-vector product on one BLAS thread. One core reads the vectors about as fast
    as two (it is memory-bound), and BLAS worker threads left spinning after it fight the embedder's
    OpenMP threads for the cores: with two of each on two cores a 100k-row search took ~130 ms instead
    of ~11 ms (scripts/bench_related.py). The setting is process-wide: the lock keeps concurrent
    searches from restoring each other's value."""
    with _blas_lock, _blas_controller().limit(limits=1, user_api="blas"):
        yield


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
