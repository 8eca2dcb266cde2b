"""Half-lost paired markup is put back where the pair's own translation matches, and only there."""

from __future__ import annotations

import pytest

from adapt.placeholder_repair import inner_texts, lost_pairs, repair_batch

# The pair's inner text translated alone (what the step asks the model for), for these tests.
INNER = {"library": "biblioteca", "US Declaration of Independence": "Declaração de Independência dos EUA",
         "within": "dentro", "bold words": "palavras em negrito", "zebra": "zebra"}


def translate(texts: list[str]) -> list[str]:
    return [INNER[t] for t in texts]


def fix(source: str, output: str) -> tuple[str, list]:
    return repair_batch([source], [output], translate)[0]


@pytest.mark.parametrize(("source", "output", "expected"), [
    ("A [1]library[/1] is code.", "Uma biblioteca[/1] é código.", "Uma [1]biblioteca[/1] é código."),
    ("It prints the [1]US Declaration of Independence[/1]:", "Imprime a Declaração de Independência dos EUA[/1]:",
     "Imprime a [1]Declaração de Independência dos EUA[/1]:"),
    ("Used [1]within[/1] the module.", "Usada [1]dentro do módulo.", "Usada [1]dentro[/1] do módulo."),
    ("Some [1]bold words[/1], here.", "Algumas palavras em negrito, aqui.",
     "Algumas [1]palavras em negrito[/1], aqui."),
])
def test_a_lost_side_goes_where_the_inner_translation_matches(source: str, output: str, expected: str) -> None:
    repaired, repairs = fix(source, output)
    assert repaired == expected
    assert [r.number for r in repairs] == [1] and repairs[0].score >= 60


@pytest.mark.parametrize(("source", "output"), [
    ("A [1]library[/1] is code.", "Uma [1]biblioteca[/1] é código."),  # nothing lost
    ("A [1]zebra[/1] runs.", "Um cavalo corre[/1]."),  # no good match: left to QA
    ("A [1]library[/1] and [2]x[/2] y.", "Uma biblioteca [2]x[/1] y[/2]."),  # would cut through [2]...[/2]
    ("A [1]library[/1] is code.", "Uma [1]biblioteca[/1][/1] é código."),  # duplicated sides: not guessed at
    ("A [1][2]library[/2][/1] is code.", "Uma [2]biblioteca[/2][/1] é código."),  # markup inside: not touched
])
def test_nothing_is_placed_without_a_clean_good_match(source: str, output: str) -> None:
    assert fix(source, output) == (output, [])


def test_inner_texts_and_lost_pairs_read_only_markup_free_pairs() -> None:
    source = "A [1]b[/1] c [2][3]d[/3][/2] [4] [5] [/5]"
    assert inner_texts(source) == {1: "b", 3: "d"}
    assert lost_pairs(source, "x [1]b y [3]d[/3]") == [1]
    assert lost_pairs(source, "nothing at all") == [1, 3]


def test_the_inner_texts_of_a_batch_are_translated_in_one_call() -> None:
    calls: list[list[str]] = []

    def counting(texts: list[str]) -> list[str]:
        calls.append(texts)
        return translate(texts)

    sources = ["A [1]library[/1].", "The [1]library[/1] again.", "Fine [1]within[/1]."]
    outputs = ["Uma biblioteca[/1].", "A biblioteca[/1] de novo.", "Bem [1]dentro[/1]."]
    results = repair_batch(sources, outputs, counting)
    assert calls == [["library"]]
    assert [r[0] for r in results] == ["Uma [1]biblioteca[/1].", "A [1]biblioteca[/1] de novo.", "Bem [1]dentro[/1]."]
