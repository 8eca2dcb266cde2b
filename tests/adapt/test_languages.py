"""adapt.languages: the one parser of language tags, and how regional variants serve each other."""

from __future__ import annotations

import pytest

from adapt.errors import InvalidLanguage
from adapt.languages import best_match, match_rank, normalise, parse, primary, same_language


@pytest.mark.parametrize(("raw", "canonical"), [
    ("pt", "pt"), ("PT", "pt"), ("pt-br", "pt-BR"), ("PT_br", "pt-BR"), (" pt-BR ", "pt-BR"),
    ("por", "pt"), ("por-BR", "pt-BR"), ("eng", "en"), ("spa-419", "es-419"), ("zh-hant-tw", "zh-Hant-TW"),
    ("sr-latn-rs", "sr-Latn-RS"), ("und", "und"), ("x-klingon", "x-klingon"), ("ca-valencia", "ca-valencia"),
])
def test_languages_parse_canonical(raw, canonical):
    assert parse(raw) == canonical


@pytest.mark.parametrize("bad", ["", "  ", "Ciências", "pt--BR", "123", "a", "english please", "p" * 100, "pt-"])
def test_languages_parse_refuses_what_is_no_tag(bad):
    with pytest.raises(InvalidLanguage) as raised:
        parse(bad)
    assert "BCP 47" in raised.value.one_line()


def test_languages_normalise_lets_nothing_through():
    assert normalise(None) is None and normalise("") is None and normalise("EN-gb") == "en-GB"


@pytest.mark.parametrize(("entry", "wanted", "rank"), [
    ("pt", "pt", 0), ("pt-BR", "pt-BR", 0), ("pt", "pt-BR", 1), ("pt-BR", "pt", 2), ("pt-PT", "pt-BR", None),
    ("es", "pt", None), ("zh", "zh-Hant-TW", 1), ("zh-Hant", "zh-Hant-TW", 1), ("zh-Hans", "zh-Hant-TW", None),
])
def test_languages_match_rank(entry, wanted, rank):
    assert match_rank(entry, wanted) == rank


def test_languages_best_match_prefers_the_closest_variant():
    assert best_match(["pt-PT", "pt", "pt-BR"], "pt-BR") == "pt-BR"
    assert best_match(["pt-PT", "pt"], "pt-BR") == "pt"
    assert best_match(["pt-BR"], "pt") == "pt-BR"
    assert best_match(["pt-PT"], "pt-BR") is None
    assert primary("PT_br") == "pt" and same_language("pt", "pt-BR") and not same_language("pt", "es")
