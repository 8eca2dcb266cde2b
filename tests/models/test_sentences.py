import pytest

from models.sentences import join_sentences, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("See e.g. the cell. Dr. Smith agrees.", ["See e.g. the cell.", "Dr. Smith agrees."]),
        ("Version 3.14 is out. It has 2 parts.", ["Version 3.14 is out.", "It has 2 parts."]),
        ("Use [1]. Then [2] runs.", ["Use [1].", "Then [2] runs."]),
        ("[1]First. Second.[/1] Third.", ["[1]First.[/1]", "[1]Second.[/1]", "Third."]),
        ("No boundary here", ["No boundary here"]),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text", ["[1]First. Second.[/1] Third.", "A [2]b. [3]C.[/3] d.[/2] E.", "Plain. Text."]
)
def test_join_undoes_split(text):
    assert join_sentences(split_sentences(text)) == text
