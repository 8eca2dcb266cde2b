"""adapt.markup_qa: every way inline markup goes wrong is found, said with where, and flagged."""

from __future__ import annotations

import pytest

from adapt.markup_qa import analyse, broken_pairs, structure
from adapt.qa import QAInput, check_markup, run_checks
from adapt.simplify_guards import REJECTING_CODES

SOURCE = "A [1]key term[/1] and [2]bold [3]x[/3] words[/2], see [4]."


def codes(source: str, output: str) -> list[tuple[str, int]]:
    return [(p.code, p.number) for p in analyse(source, output)]


def test_intact_markup_has_no_problem() -> None:
    assert analyse(SOURCE, "Um [1]termo-chave[/1] e [2]palavras [3]x[/3] negrito[/2], veja [4].") == []


@pytest.mark.parametrize(("output", "expected"), [
    ("Um [1][/1] termo-chave e [2]a [3]x[/3] b[/2] [4].", [("emptied", 1)]),
    ("Um [1] , [/1] termo e [2]a [3]x[/3] b[/2] [4].", [("emptied", 1)]),
    ("Um termo-chave[/1] e [2]a [3]x[/3] b[/2] [4].", [("side-lost", 1)]),
    ("Um termo-chave e [2]a [3]x[/3] b[/2] [4].", [("lost", 1)]),
    ("Um [/1]termo[1] e [2]a [3]x[/3] b[/2] [4].", [("order", 1)]),
    ("[1]a[/1] [1]b[/1] e [2]a [3]x[/3] b[/2] [4].", [("duplicated", 1)]),
    ("Um [1]termo e [2]a[/1] [3]x[/3] b[/2] [4].", [("crossed", 2)]),
    ("Um [1]termo[/1] e [2]a b[/2] [3]x[/3] [4].", [("nesting", 3)]),
    ("Um [1]termo[/1] e [2]a [3]x[/3] b[/2].", [("atom-lost", 4)]),
    ("Um [1]termo[/1] e [2]a [3]x[/3] b[/2] [4] [4].", [("atom-duplicated", 4)]),
])
def test_each_problem_is_found(output: str, expected: list[tuple[str, int]]) -> None:
    assert codes(SOURCE, output) == expected


def test_a_pair_around_markup_only_is_not_emptied() -> None:
    # "[2][3]x[/3][/2]" keeps something visible inside; a pair around an atom is not empty either.
    assert codes("[1][2]m[/2][/1] ok", "[1][2]m[/2][/1] ok") == []
    assert codes("see [1]the [2][/1] now", "veja [1][2][/1] agora") == []


def test_problems_say_what_and_where() -> None:
    [problem] = analyse(SOURCE, "Um [1][/1] termo-chave e [2]a [3]x[/3] b[/2] [4].")
    text = problem.describe()
    assert "[1][/1] wraps nothing" in text and "“key term”" in text and "Um [1][/1] termo-chave" in text


def test_structure_and_broken_pairs() -> None:
    pairs, atoms = structure(SOURCE)
    assert pairs == {1: "key term", 2: "bold [3]x[/3] words", 3: "x"} and atoms == {4}
    problems = analyse(SOURCE, "Um [1][/1] termo e [2]a [3]x[/3] b[/2].")
    assert broken_pairs(problems) == [1]  # a lost atom is not a pair to place


def test_check_markup_flags_emptied_and_crossed_on_every_suggestion() -> None:
    flags = run_checks(QAInput(SOURCE, "Um [1][/1] termo e [2]a [3]x[/3] b[/2] [4]."))
    assert [f.code for f in flags] == ["markup-emptied"]
    crossed = check_markup(QAInput(SOURCE, "Um [1]termo e [2]a[/1] [3]x[/3] b[/2] [4]."))
    assert [f.code for f in crossed] == ["markup-crossed"]
    # Lost sides stay with the older check (one flag per problem).
    assert [f.code for f in run_checks(QAInput(SOURCE, "Um termo[/1] e [2]a [3]x[/3] b[/2] [4]."))] == [
        "placeholder-missing"]


def test_simplification_guard_rejects_emptied_and_crossed_markup() -> None:
    assert {"markup-emptied", "markup-crossed"} <= REJECTING_CODES


def test_bad_input_does_not_break_the_check() -> None:
    for source, output in [("", ""), ("[1]a[/1]", ""), ("[/1]a[1]", "[1]a[/1]"), ("[99999]", "[1]"),
                           ("[1]a", "[1][/1]"), ("a [/2] b", "[2][/2]")]:
        analyse(source, output)
        check_markup(QAInput(source, output))
