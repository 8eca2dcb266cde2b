"""Relatedness on the catalogue's own scale (adapt.catalogue.calibration): the arithmetic on made-up
vectors, then the issue's case with the real packaged e5 and OpenStax modules: a water-cycle lesson is
not related to psychology (raw cosines 0.82-0.85 notwithstanding), and is to biology's module on water."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from adapt.catalogue import calibration
from tests.conftest import shared_data

WATER_CYCLE = Path(__file__).resolve().parents[2] / "fixtures" / "lessons" / "water-cycle.en.md"


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_relatedness_is_the_share_of_chance_matches_beaten():
    scale = calibration.Background(np.linspace(0.70, 0.90, 101, dtype=np.float32))
    assert scale.relatedness(0.60) == 0.0
    assert scale.relatedness(0.95) == 1.0
    assert scale.relatedness(0.80) == pytest.approx(0.505, abs=0.01)
    values = [scale.relatedness(s) for s in np.linspace(0.6, 1.0, 40)]
    assert values == sorted(values)  # a higher cosine is never less related


def test_labels_and_what_is_shown():
    assert calibration.label(0.995) == "closely related" and calibration.label(0.96) == "related"
    assert calibration.label(0.5) == "not related" and calibration.label(None) == "not calibrated"
    assert calibration.is_related(0.96) and not calibration.is_related(0.9)
    assert calibration.is_related(None)  # no scale (a tiny catalogue): shown, and said so


def test_a_tiny_catalogue_has_no_scale():
    rng = np.random.default_rng(1)
    one_item = calibration.background(unit(rng.standard_normal((30, 16))), np.zeros(30, np.int64))
    assert one_item.relatedness(0.9) is None
    few = calibration.background(unit(rng.standard_normal((4, 16))), np.array([1, 1, 2, 2]))
    assert few.relatedness(0.9) is None  # 4 chance matches are no distribution
    empty = calibration.background(np.zeros((0, 16), np.float32), np.zeros(0, np.int64))
    assert empty.relatedness(0.9) is None


def test_background_is_seeded_and_leaves_out_duplicated_passages():
    rng = np.random.default_rng(2)
    vectors = unit(rng.standard_normal((200, 32)))
    items = np.repeat(np.arange(20), 10)
    first = calibration.background(vectors, items)
    assert np.array_equal(first.scores, calibration.background(vectors, items).scores)
    assert len(first.scores) >= calibration.MIN_BACKGROUND
    # Item 20 copies item 0's passages (a book and its module): those pairs are not chance matches.
    copied = calibration.background(np.vstack([vectors, vectors[:10]]), np.concatenate([items, np.full(10, 20)]))
    assert copied.scores.max() < 0.995


def test_a_one_subject_catalogue_raises_its_own_bar():
    """Two catalogues, the same raw cosine: it beats most chance matches among unrelated topics and few
    among passages that are all about one subject."""
    rng = np.random.default_rng(3)
    topics = unit(rng.standard_normal((12, 64)))
    varied = unit(np.repeat(topics, 8, axis=0) + 0.125 * rng.standard_normal((96, 64)))
    one_subject = unit(topics[0] + 0.125 * rng.standard_normal((96, 64)))
    items = np.repeat(np.arange(12), 8)
    probe = 0.5
    assert calibration.background(varied, items).relatedness(probe) > 0.9
    assert calibration.background(one_subject, items).relatedness(probe) < 0.5


@pytest.mark.slow
def test_water_cycle_is_not_related_to_psychology_but_is_to_biology_water(tmp_path):
    from adapt.cli import _register, cli

    oer = shared_data() / "oer"  # fails, never skips, when the data is missing
    _register()
    runner = CliRunner()
    db = tmp_path / "adapt.db"

    def run(*args: str) -> dict:
        result = runner.invoke(cli, ["--db", str(db), *args, "--json"], catch_exceptions=False,
                               standalone_mode=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    # Modules added one by one (not the book folder): each still carries its book's licence and title.
    psychology = sorted((oer / "openstax-psychology-2e" / "modules").glob("m*/index.cnxml"))[:8]
    for module in psychology:
        run("catalog", "add", str(module))
    found = run("related", str(WATER_CYCLE), "--k", "5")["results"]
    assert len(found) == 5 and all(0.75 < r["similarity"] < 0.95 for r in found)  # e5's raw cosines look close
    assert all(r["relatedness_label"] == "not related" and r["relatedness"] < calibration.RELATED for r in found)
    assert all(r["license"] == "CC-BY-4.0" and r["title"].endswith("· Psychology 2e") for r in found)
    assert [r["similarity"] for r in found] == sorted((r["similarity"] for r in found), reverse=True)

    run("catalog", "add", str(oer / "openstax-biology-2e" / "modules" / "m66434" / "index.cnxml"))  # "Water"
    best = run("related", str(WATER_CYCLE), "--k", "5")["results"][0]
    assert best["title"] == "Water · Biology 2e" and best["license"] == "CC-BY-4.0"
    assert best["relatedness"] >= calibration.RELATED and best["relatedness_label"] in ("related", "closely related")
