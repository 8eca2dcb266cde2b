"""adapt.markup_align: broken pairs go back on the target words, by alignment (real e5) and by the pair's
own translation; intact markup is left alone; what cannot be placed is never left as an empty pair."""

from __future__ import annotations

import pytest

from adapt.markup_align import hidden_source, place_batch, place_segment
from adapt.markup_qa import analyse
from models.alignment import E5Aligner

# The pairs' own translations, as a translation engine gives them for short texts.
OWN = {"library": "biblioteca", "bold words": "palavras em negrito", "key term": "termo-chave",
       "mitochondrion": "mitocôndria", "Conversations with Friends": "Conversas com Amigos"}


class Calls:
    """A translate function over fixed outputs that remembers every call."""

    def __init__(self, outputs: dict[str, str]) -> None:
        self.outputs = outputs
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str]) -> list[str]:
        self.calls.append(list(texts))
        return [self.outputs.get(t, "?") for t in texts]


class CountingAligner:
    def __init__(self, inner: E5Aligner) -> None:
        self.inner, self.calls = inner, 0

    def align(self, pairs):
        self.calls += 1
        return self.inner.align(pairs)


@pytest.fixture(scope="module")
def e5() -> E5Aligner:
    return E5Aligner()


@pytest.fixture
def aligner(e5: E5Aligner) -> CountingAligner:
    return CountingAligner(e5)


def test_a_pair_whose_words_were_moved_out_goes_around_them(aligner: CountingAligner) -> None:
    result = place_segment("Some [1]bold words[/1] here.", "Aqui [1][/1] palavras em negrito.", Calls(OWN), aligner)
    assert result.text == "Aqui [1]palavras em negrito[/1]."
    assert analyse("Some [1]bold words[/1] here.", result.text) == []
    [placed] = result.placements
    # Its own translation matches closely, which wins over the alignment anyway: e5 is not run for it.
    assert (placed.number, placed.placed, placed.how) == (1, "palavras em negrito", "translation")
    assert aligner.calls == 0


def test_a_half_lost_pair_is_completed(aligner: CountingAligner) -> None:
    result = place_segment("A [1]library[/1] is a collection of code.", "Uma biblioteca[/1] é uma coleção de código.",
                           Calls(OWN), aligner)
    assert result.text == "Uma [1]biblioteca[/1] é uma coleção de código."


def test_alignment_places_a_pair_when_its_own_translation_does_not_match(aligner: CountingAligner) -> None:
    # The pair's own translation ("?") matches nothing: the aligned words decide.
    result = place_segment("The [1]mitochondrion[/1] is the powerhouse of the cell.",
                           "A mitocôndria é a central de energia da célula.", Calls({}), aligner)
    assert result.text == "A [1]mitocôndria[/1] é a central de energia da célula."
    assert result.placements[0].how == "alignment"


def test_intact_markup_is_kept_and_nothing_runs(aligner: CountingAligner) -> None:
    translate = Calls(OWN)
    result = place_segment("A [1]library[/1] is [2].", "Uma [1]biblioteca[/1] é [2].", translate, aligner)
    assert result.text == "Uma [1]biblioteca[/1] é [2]." and not result.placements
    assert translate.calls == [] and aligner.calls == 0


def test_a_span_never_cuts_through_other_markup(aligner: CountingAligner) -> None:
    source = "The [1]key term[/1] in [2]bold text[/2]."
    output = "O termo-chave em [2]texto em negrito[/2]."  # [1] lost
    result = place_segment(source, output, Calls(OWN), aligner)
    assert result.text == "O [1]termo-chave[/1] em [2]texto em negrito[/2]."


def test_unplaceable_emptied_pair_is_dropped_not_left_empty() -> None:
    # No alignment and no matching translation: "[1][/1]" must not reach the export as "****".
    translate = Calls({"Some bold here.": "Algo aqui."})
    result = place_segment("Some [1]bold[/1] here.", "Algo [1][/1] aqui.", translate, None)
    assert "[1]" not in result.text and result.text == "Algo aqui."
    assert result.unplaced == (1,) and result.dropped == (1,)


def test_markup_hidden_retranslation_when_the_output_lost_the_words(aligner: CountingAligner) -> None:
    source = "A [1]library[/1] is useful."
    translate = Calls({"library": "biblioteca", "A library is useful.": "Uma biblioteca é útil."})
    result = place_segment(source, "[1][/1] É útil.", translate, aligner)
    assert result.retranslated and result.text == "Uma [1]biblioteca[/1] é útil."
    assert result.placements[0].hidden
    assert hidden_source("See [1]this[/1] and [2] now.") == "See this and [2] now."


def test_typographic_quotes_the_model_dropped_are_put_back(aligner: CountingAligner) -> None:
    result = place_segment("Read “Conversations with Friends” by Sally.", "Leia Conversas com Amigos de Sally.",
                           Calls(OWN), aligner)
    assert result.text == "Leia “Conversas com Amigos” de Sally."
    assert result.quotes == ("Conversations with Friends",)
    kept = place_segment("Read “Friends” now.", "Leia “Amigos” agora.", Calls(OWN), aligner)
    assert kept.text == "Leia “Amigos” agora."


def test_a_batch_translates_the_pairs_once(aligner: CountingAligner) -> None:
    translate = Calls(OWN)
    sources = ["A [1]library[/1] here.", "My [1]library[/1] there.", "Fine [1]x[/1]."]
    outputs = ["Uma biblioteca[/1] aqui.", "Minha biblioteca[/1] ali.", "Bem [1]x[/1]."]
    results = place_batch(sources, outputs, translate, aligner)
    assert [r.text for r in results] == ["Uma [1]biblioteca[/1] aqui.", "Minha [1]biblioteca[/1] ali.", "Bem [1]x[/1]."]
    assert translate.calls == [["library"]] and aligner.calls == 0  # settled by close matches: no alignment


@pytest.mark.parametrize(("source", "output"), [
    ("", ""), ("[1]a[/1]", ""), ("[1]a[/1]", "[/1][1]"), ("a [1]b[/1]", "[1]"), ("x", "[5][/5]"),
    ("[1]a [2]b[/2][/1]", "[2][/1] b [1]"), ("“a”", "”"), ("[1]a[/1]", "[1][1][/1][/1]"),
])
def test_bad_input_gives_text_back(source: str, output: str, aligner: CountingAligner) -> None:
    result = place_segment(source, output, Calls({}), aligner)
    assert isinstance(result.text, str)


def test_a_dropped_word_is_not_found_in_another_sentence(aligner: CountingAligner) -> None:
    # Bergamot dropped "discussion" from the fourth sentence ("Na seção [2][/2], os"); the first sentence
    # has "discussão" too, far from where the pair is: the segment is translated again with the markup
    # hidden and both terms go on the words where the source has them.
    first = "Some journals want a results section and a discussion section, but most combine both."
    source = (f"{first} If the journal does not allow it, the [1]results[/1] section simply narrates the findings. "
              "The authors present results with tables. In the [2]discussion[/2] section, the authors interpret them.")
    output = ("Algumas revistas querem uma seção de resultados e uma seção de discussão, mas a maioria combina ambas. "
              "Se a revista não permitir, a seção [1]resulta[/1] simplesmente narra os achados. "
              "Os autores apresentam resultados com tabelas. Na seção [2][/2], os autores os interpretam.")
    hidden = ("Algumas revistas querem uma seção de resultados e uma seção de discussão, mas a maioria combina ambas. "
              "Se a revista não permitir, a seção de resultados simplesmente narra os achados. "
              "Os autores apresentam resultados com tabelas. Na seção de discussão, os autores os interpretam.")
    translate = Calls({"results": "resultados", "discussion": "discussão", hidden_source(source): hidden})
    result = place_segment(source, output, translate, aligner)
    assert result.retranslated
    assert "a seção de [1]resultados[/1] simplesmente" in result.text
    assert "Na seção de [2]discussão[/2], os" in result.text
    assert result.text.count("[1]") == 1 and "de discussão, mas" in result.text
