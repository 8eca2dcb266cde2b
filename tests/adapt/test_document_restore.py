import pytest

from adapt.document import Placeholder, Segment, splice

PH = (
    Placeholder(1, "pair", "strong", "**", "**"),
    Placeholder(2, "atom", "code", "`x = 1`"),
    Placeholder(3, "pair", "link", "[", "](https://example.org)"),
)
SEG = Segment("p-1", "paragraph", "A [1]bold[/1] word, [2] and [3]a link[/3].", PH)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A [1]bold[/1] word, [2] and [3]a link[/3].", "A **bold** word, `x = 1` and [a link](https://example.org)."),
        ("Uma palavra [1]negrito[/1], [2] e [3]um link[/3].", "Uma palavra **negrito**, `x = 1` e [um link](https://example.org)."),
        # models put spaces inside pairs: they move outside the markup
        ("A [1] bold [/1] word [2] [3] a link [/3].", "A  **bold**  word `x = 1`  [a link](https://example.org) ."),
        # a lost placeholder is simply gone (QA flags it); unknown numbers stay as text
        ("A [1]bold[/1] word [9].", "A **bold** word [9]."),
    ],
)
def test_restore_placeholders(text, expected):
    assert SEG.restore(text) == expected


def test_plain_text_drops_atoms_and_unwraps_pairs():
    assert SEG.plain_text() == "A bold word,  and a link."


def test_restore_escapes_only_plain_text():
    assert SEG.restore("a|b [2]", escape=lambda s: s.replace("|", "\\|")) == "a\\|b `x = 1`"


def test_splice_replaces_spans_in_any_order():
    assert splice("hello brave new world", [((12, 15), "old"), ((0, 5), "HELLO")]) == "HELLO brave old world"
    with pytest.raises(ValueError):
        splice("abc", [((0, 2), "x"), ((1, 3), "y")])
