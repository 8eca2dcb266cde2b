import pytest

from adapt.qa import QAInput, run_checks


def codes(source, output, **kw):
    return sorted(f.code for f in run_checks(QAInput(source=source, output=output, source_language="en",
                                                      target_language="pt", **kw)))


@pytest.mark.parametrize(
    ("source", "output", "expected", "pairs"),
    [
        ("Use [1] to print [2]bold[/2] text.", "Use [1] para imprimir texto [2]negrito[/2].", [], {2}),
        ("Use [1] to print [2]bold[/2] text.", "Use para imprimir texto [2]negrito[/2].", ["placeholder-missing"], {2}),
        ("Use [1] to print text.", "Use [1] [3] para imprimir texto.", ["placeholder-extra"], set()),
        ("See [2]this[/2] now please.", "Veja [/2]isto[2] agora por favor.", ["placeholder-order"], {2}),
        ("It has 3 parts and 1,000 cells.", "Tem 3 partes e 1.000 células.", [], set()),
        ("It has 3 parts and 12 cells.", "Tem três partes e 12 células.", ["number-missing"], set()),
        ("It has 3 parts in total.", "Tem 3 partes em 2 total.", ["number-extra"], set()),
        ("Read https://openstax.org/x today", "Leia hoje", ["too-short", "url-changed"], set()),
        ("A sentence long enough to check its length.", "", ["empty"], set()),
        ("This is an English sentence here.", "This is an English sentence here.", ["untranslated"], set()),
        ("A short one.", "Um um um um um um um um um.", ["repetition"], set()),
        ("A longer sentence that the model translated well.", "Uma frase mais longa " * 8,
         ["repetition", "too-long"], set()),
    ],
)
def test_qa_flags_table(source, output, expected, pairs):
    assert codes(source, output, pair_numbers=frozenset(pairs)) == expected
