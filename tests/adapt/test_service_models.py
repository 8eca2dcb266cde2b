"""The service keeps one loaded model per kind and key, even when UI requests race for it."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor


def test_a_model_asked_for_by_many_threads_at_once_is_built_once(service) -> None:
    built: list[int] = []
    start = threading.Barrier(8)

    def slow_model() -> object:
        built.append(1)
        time.sleep(0.05)  # a model load: long enough for every thread to arrive while it runs
        return object()

    def ask(_: int) -> object:
        start.wait()
        return service.engines.kept("catalogue", "slow", slow_model)

    with ThreadPoolExecutor(8) as pool:
        models = list(pool.map(ask, range(8)))
    assert len(built) == 1 and all(m is models[0] for m in models)


def test_catalogues_and_taggers_are_kept_per_embedder(service) -> None:
    assert service.catalogue() is service.catalogue("e5")
    assert service.catalogue("minilm") is not service.catalogue("e5")
    assert service.tagger() is service.tagger("e5")
