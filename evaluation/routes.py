"""Measure every translation route for a pair on NTREX-128 (a development set) and rank them by chrF.

NTREX-128 is multi-parallel (the same 1,997 news sentences in 128 languages), so any language with a
file there can be a source or a target. Hops shared by several routes (the Bergamot en→pt in front
of every pivot through Portuguese) are translated once per measurement.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from adapt.errors import UserError
from evaluation.data import read_lines
from evaluation.metrics.translation import BLEU, CHRF
from models.routes import Measured, PairMeasurement, Route
from models.translators.base import normalise_language

# NTREX-128 file per language: Portuguese is the Brazilian reference, as the Bergamot model writes pt-BR.
NTREX_FILES = {"en": "newstest2019-src.eng.txt", "es": "newstest2019-ref.spa.txt", "ca": "newstest2019-ref.cat.txt",
               "gl": "newstest2019-ref.glg.txt", "eu": "newstest2019-ref.eus.txt", "pt": "newstest2019-ref.por-BR.txt",
               "fr": "newstest2019-ref.fra.txt", "de": "newstest2019-ref.deu.txt", "sw": "newstest2019-ref.swa.txt",
               "hi": "newstest2019-ref.hin.txt", "ar": "newstest2019-ref.arb.txt"}

Progress = Callable[[str, int, int], None]  # (route, done, total)


def ntrex_file(root: Path, language: str) -> Path:
    language = normalise_language(language)
    name = NTREX_FILES.get(language)
    path = Path(root) / "mt" / "ntrex-128" / name if name else None
    if path is None or not path.is_file():
        raise UserError(f"NTREX-128 has no {language} file here",
                        hint=f"languages with a file: {', '.join(sorted(NTREX_FILES))}")
    return path


def measure_routes(
    translator: Any,  # models.translators.route.RouteTranslator
    *,
    source: str,
    target: str,
    data_root: Path,
    start: int = 0,
    limit: int | None = None,
    routes: Sequence[Route] | None = None,
    progress: Progress | None = None,
    command: str = "",
    cache: dict[tuple[str, ...], list[str]] | None = None,
) -> PairMeasurement:
    """chrF and BLEU of every candidate route (or `routes`) on sentences start..start+limit.

    `cache` (hop chain -> outputs) may be shared between calls on the same sentences, so that the
    first hop of routes to several targets (Bergamot en→pt) runs once."""
    source, target = normalise_language(source), normalise_language(target)
    src_file = read_lines(ntrex_file(data_root, source))
    ref_file = read_lines(ntrex_file(data_root, target))
    end = len(src_file.lines) if limit is None else min(len(src_file.lines), start + limit)
    sources, references = src_file.lines[start:end], ref_file.lines[start:end]
    if not sources:
        raise UserError(f"no sentences between {start} and {end}", hint=f"NTREX-128 has {len(src_file.lines)}")
    candidates = list(routes) if routes is not None else translator.candidates(source, target)
    if not candidates:
        raise UserError(f"no installed engine or route translates {source}→{target}",
                        hint="see `adapt models list` for the Apertium packages and Argos pairs")
    done = {} if cache is None else cache  # hop prefix -> its outputs, shared between routes
    if cache is not None:
        cache.setdefault(("sentences", str(start), str(end), source), [])  # a cache serves one slice only
        if len([k for k in cache if k[0] == "sentences"]) > 1:
            raise ValueError("a route cache is for one source and one slice of sentences")
    measured, seconds = [], {}
    for n, route in enumerate(candidates):
        if progress:
            progress(route.name, n, len(candidates))
        began = time.perf_counter()
        current = sources
        for k, hop in enumerate(route.hops):
            key = tuple(str(h) for h in route.hops[: k + 1])
            if key not in done:
                done[key] = translator.engine(hop.engine).translate(current, source=hop.source, target=hop.target)
            current = done[key]
        seconds[route.name] = round(time.perf_counter() - began, 1)  # hops already cached cost nothing
        chrf = CHRF().compute(hypotheses=current, references=[references])
        bleu = BLEU().compute(hypotheses=current, references=[references])
        measured.append(Measured(route.name, round(chrf.value, 2), round(bleu.value, 2), len(sources)))
    if progress:
        progress("", len(candidates), len(candidates))
    measured.sort(key=lambda m: -m.chrf)
    about = {
        "data": "NTREX-128 newstest2019 (Federmann, Kocmi and Xin 2022, CC BY-SA 4.0)",
        "source_file": src_file.describe(), "reference_file": ref_file.describe(),
        "sentences": f"{start + 1}-{end} of {len(src_file.lines)}", "metric": "chrF (sacrebleu defaults)",
        "signatures": {r.name: translator.signature_of(r).to_json() for r in candidates},
        "seconds": seconds, "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load_average": [round(x, 2) for x in os.getloadavg()], "command": command,
    }
    return PairMeasurement(source, target, tuple(measured), about)
