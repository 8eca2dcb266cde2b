"""Translation routes: a direct engine, or two engines chained through a pivot language.

A route is written `engine:from-to` hops joined by `>`, e.g. `bergamot:en-pt>apertium:pt-es`. For a
pair, the candidates are every engine that translates it directly and every chain of two engines
through one pivot (neural+rule, rule+rule). Which one is best is measured (`adapt eval routes`, chrF
on NTREX-128) and kept in a route table: the one committed in this package (models/data/route_table.json)
lets a fresh install choose with no measuring; a table measured here (`<data dir>/routes/route_table.json`)
takes precedence for the pairs it has.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from adapt.errors import InputError
from models.translators.base import normalise_language

DEFAULT_TABLE = Path(__file__).resolve().parent / "data" / "route_table.json"
# The engines a route may use: those that need no --model. Order breaks ties between unmeasured routes.
ROUTE_ENGINES = ("bergamot", "apertium", "argos")


@dataclass(frozen=True)
class Hop:
    engine: str
    source: str
    target: str

    def __str__(self) -> str:
        return f"{self.engine}:{self.source}-{self.target}"


@dataclass(frozen=True)
class Route:
    hops: tuple[Hop, ...]

    @property
    def name(self) -> str:
        return ">".join(str(h) for h in self.hops)

    @property
    def source(self) -> str:
        return self.hops[0].source

    @property
    def target(self) -> str:
        return self.hops[-1].target

    @property
    def pivot(self) -> str | None:
        return self.hops[0].target if len(self.hops) > 1 else None

    def __str__(self) -> str:
        return self.name


def parse_route(text: str) -> Route:
    """`bergamot:en-pt>apertium:pt-es` -> Route; a malformed or broken chain is an InputError."""
    hops = []
    for part in text.strip().split(">"):
        engine, _, pair = part.strip().partition(":")
        source, _, target = pair.partition("-")
        if not engine or not source or not target:
            raise InputError(f"{text!r} is not a route", hint="write hops as engine:from-to joined by >, "
                             "e.g. bergamot:en-pt>apertium:pt-es")
        hops.append(Hop(engine.strip(), normalise_language(source), normalise_language(target)))
    for first, second in pairwise(hops):
        if first.target != second.source:
            raise InputError(f"{text!r} is not a chain: {first} ends in {first.target}, {second} starts in "
                             f"{second.source}")
    return Route(tuple(hops))


def candidate_routes(engine_pairs: Mapping[str, Iterable[tuple[str, str]]], source: str, target: str) -> list[Route]:
    """Direct routes first, then every two-hop chain through one pivot, in engine order."""
    source, target = normalise_language(source), normalise_language(target)
    pairs = {engine: set(p) for engine, p in engine_pairs.items()}
    routes = [Route((Hop(e, source, target),)) for e in pairs if (source, target) in pairs[e]]
    for first, first_pairs in pairs.items():
        for a, pivot in sorted(first_pairs):
            if a != source or pivot == target:
                continue
            for second, second_pairs in pairs.items():
                if (pivot, target) in second_pairs and not (first == second == "argos"):  # argos pivots itself
                    routes.append(Route((Hop(first, source, pivot), Hop(second, pivot, target))))
    return routes


def reachable_pairs(engine_pairs: Mapping[str, Iterable[tuple[str, str]]]) -> set[tuple[str, str]]:
    """Every (from, to) some route of at most two hops translates."""
    direct = {p for pairs in engine_pairs.values() for p in pairs}
    return direct | {(a, d) for a, b in direct for c, d in direct if b == c and a != d}


@dataclass(frozen=True)
class Measured:
    route: str
    chrf: float
    bleu: float | None = None
    sentences: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"route": self.route, "chrF": self.chrf, "BLEU": self.bleu, "sentences": self.sentences}


@dataclass(frozen=True)
class PairMeasurement:
    """The routes measured for one pair, best first, and how (data set, subset, command, load)."""

    source: str
    target: str
    routes: tuple[Measured, ...]
    about: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"routes": [m.to_json() for m in self.routes], "about": dict(self.about)}


class RouteTable:
    """Measured routes by pair; read from JSON files written by `adapt eval routes`."""

    def __init__(self, pairs: Mapping[tuple[str, str], PairMeasurement] | None = None, *, origin: str = "") -> None:
        self.pairs = dict(pairs or {})
        self.origin = origin

    @classmethod
    def read(cls, path: Path, *, origin: str) -> RouteTable:
        if not Path(path).is_file():
            return cls(origin=origin)
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            pairs = {}
            for key, entry in data["pairs"].items():
                source, _, target = key.partition("-")
                routes = tuple(Measured(r["route"], float(r["chrF"]), r.get("BLEU"), int(r.get("sentences", 0)))
                               for r in entry["routes"])
                pairs[(source, target)] = PairMeasurement(source, target, routes, entry.get("about", {}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"the route table {path} is unreadable ({exc})",
                             hint="delete it and measure again with `adapt eval routes`") from None
        return cls(pairs, origin=origin)

    def to_json(self) -> dict[str, Any]:
        return {"pairs": {f"{s}-{t}": m.to_json() for (s, t), m in sorted(self.pairs.items())}}

    def write(self, path: Path) -> None:
        """Atomically: a reader never sees half a table."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".route_table.", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self.to_json(), out, ensure_ascii=False, indent=1, sort_keys=True)
            out.write("\n")
        os.replace(temp, path)

    def with_pair(self, measurement: PairMeasurement) -> RouteTable:
        return RouteTable({**self.pairs, (measurement.source, measurement.target): measurement}, origin=self.origin)

    def scores(self, source: str, target: str) -> dict[str, float]:
        entry = self.pairs.get((source, target))
        return {m.route: m.chrf for m in entry.routes} if entry else {}


def local_table_path(data_dir: Path) -> Path:
    return Path(data_dir) / "routes" / "route_table.json"


@dataclass(frozen=True)
class Choice:
    route: Route
    chrf: float | None  # None: not measured in any table
    table: str  # "local", "default" or "unmeasured"

    def to_json(self) -> dict[str, Any]:
        return {"route": self.route.name, "chrF": self.chrf, "table": self.table}


def rank_routes(candidates: Iterable[Route], tables: Iterable[RouteTable]) -> list[Choice]:
    """Candidates best first: the first table that measured the pair decides (local before default);
    routes it did not measure follow, direct before chained, in candidate order."""
    candidates = list(candidates)
    if not candidates:
        return []
    source, target = candidates[0].source, candidates[0].target
    scores: dict[str, float] = {}
    origin = "unmeasured"
    for table in tables:
        scores = table.scores(source, target)
        if scores:
            origin = table.origin
            break
    measured = [Choice(r, scores[r.name], origin) for r in candidates if r.name in scores]
    measured.sort(key=lambda c: -(c.chrf or 0.0))
    rest = sorted((r for r in candidates if r.name not in scores), key=lambda r: len(r.hops))
    return measured + [Choice(r, None, "unmeasured") for r in rest]


def pivot_texts(notes: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(language, text) of each hop before the last, from a suggestion's `engine_notes` score: what
    the reviewer reads to see where a chained translation came from."""
    found = []
    for hop in (notes or {}).get("hops", []):
        if isinstance(hop, Mapping) and hop.get("text"):
            pair = str(hop.get("hop", "")).partition(":")[2]
            found.append((pair.partition("-")[2] or "?", str(hop["text"])))
    return found
