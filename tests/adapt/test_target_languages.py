"""The UI's target-language list: every language a route reaches, with the route's measured chrF."""

from __future__ import annotations

from adapt.target_languages import target_label, target_options
from models.routes import Choice, parse_route


def test_labels_name_the_score_and_the_pivot():
    chained = Choice(parse_route("bergamot:en-pt>apertium:pt-es"), 55.04, "default")
    assert target_label("es", chained) == "Spanish (es) · chrF 55.0 via pt"
    assert target_label("gl", Choice(parse_route("apertium:en-gl"), None, "unmeasured")) == \
        "Galician (gl) · not measured"
    assert target_label("xx") == "xx (xx)"


def test_options_with_the_auto_engine_show_measured_routes(service):
    options = {code: label for label, code in target_options(service)}
    assert {"es", "ca", "gl", "pt"} <= set(options)
    assert options["es"].startswith("Spanish (es) · chrF ") and options["es"].endswith("via pt")
    assert "chrF" in options["ca"] and "chrF" in options["gl"]


def test_options_with_an_engine_without_routes_are_names_only(service):
    class Fixed:
        name = "fixed"

        def pairs(self):
            return [("en", "fr")]

    service.engines.use_translator(Fixed())
    assert target_options(service) == [("French (fr)", "fr")]


def test_a_teacher_reads_a_quality_band_not_a_chrf():
    from adapt.target_languages import QUALITY_WORDS, quality_band

    chained = Choice(parse_route("bergamot:en-pt>apertium:pt-es"), 55.04, "default")
    assert target_label("es", chained, words=QUALITY_WORDS) == "Spanish (es) · fair draft, through Portuguese"
    direct = Choice(parse_route("bergamot:en-pt"), 62.46, "default")
    assert target_label("pt", direct, words=QUALITY_WORDS) == "Portuguese (pt) · good draft"
    assert target_label("gl", Choice(parse_route("apertium:en-gl"), None, "unmeasured"), words=QUALITY_WORDS) == \
        "Galician (gl) · not measured"
    assert [quality_band(v) for v in (62.5, 60.0, 55.5, 50.0, 48.0, None)] == \
        ["good", "good", "fair", "fair", "rough", "unmeasured"]

