import pytest

from adapt.segmenting import PlaceholderBuilder, segment_text


@pytest.mark.parametrize(
    ("source", "model_text", "raws"),
    [
        ("See https://openstax.org/books/x for more.", "See [1] for more.", ["https://openstax.org/books/x"]),
        ("Mail help@example.org today.", "Mail [1] today.", ["help@example.org"]),
        ("The area is $A = \\pi r^2$ here.", "The area is [1] here.", ["$A = \\pi r^2$"]),
        ("Cited in [2] and [/3].", "Cited in [1] and [2].", ["[2]", "[/3]"]),
        ("It costs $5 and $10.", "It costs $5 and $10.", []),
        ("Plain text only.", "Plain text only.", []),
    ],
)
def test_segment_text_protects(source, model_text, raws):
    text, placeholders = segment_text(source)
    assert text == model_text
    assert [p.raw for p in placeholders] == raws


def test_builder_numbers_pairs_and_atoms_in_order():
    b = PlaceholderBuilder()
    b.text_run("A ")
    n = b.open_pair("strong", "**")
    b.text_run("bold")
    b.close_pair(n, "**")
    b.plain(" ")
    b.atom("code", "`x`")
    assert b.text == "A [1]bold[/1] [2]"
    placeholders = [(p.number, p.kind, p.raw, p.close) for p in b.placeholders]
    assert placeholders == [(1, "pair", "**", "**"), (2, "atom", "`x`", "")]
    assert b.has_words()


def test_builder_without_words_is_not_translatable():
    b = PlaceholderBuilder()
    b.atom("code", "`x`")
    b.plain(" 42 ")
    assert not b.has_words()
