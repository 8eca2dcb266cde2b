"""models.alignment: SimAlign's argmax/itermax on known matrices, and on e5's real token vectors."""

from __future__ import annotations

import numpy as np
import pytest

from models.alignment import E5Aligner, argmax_alignment, itermax_alignment


def test_argmax_keeps_only_mutual_best_matches() -> None:
    sim = np.array([[0.9, 0.1, 0.0],
                    [0.8, 0.2, 0.1],   # its best (column 0) prefers row 0: no link
                    [0.0, 0.3, 0.7]])
    assert argmax_alignment(sim) == {(0, 0), (2, 2)}
    assert argmax_alignment(np.zeros((0, 3))) == set()


def test_itermax_aligns_a_word_whose_best_partner_was_taken() -> None:
    sim = np.array([[0.9, 0.1, 0.0, 0.0],
                    [0.95, 0.6, 0.1, 0.0],
                    [0.0, 0.1, 0.7, 0.1],
                    [0.0, 0.0, 0.2, 0.6]])
    sim[0, 0] = 0.99
    assert (1, 1) not in argmax_alignment(sim)  # row 1's best is column 0, taken by row 0
    # Next round: (1, 0) counts at alpha (column 0 is aligned): 0.9 * 0.95 > 0.6, a second link to column 0.
    assert itermax_alignment(sim) == {(0, 0), (1, 0), (2, 2), (3, 3)}
    sim[1, 0] = 0.5  # now 0.45 < 0.6: row 1 takes the free column 1
    assert itermax_alignment(sim) == {(0, 0), (1, 1), (2, 2), (3, 3)}
    # one round only is argmax
    assert itermax_alignment(sim, iterations=1) == argmax_alignment(sim)


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="itermax"):
        E5Aligner(method="best")


@pytest.fixture(scope="module")
def aligner() -> E5Aligner:
    return E5Aligner()


def test_e5_aligns_an_english_portuguese_sentence(aligner: E5Aligner) -> None:
    src = "A library is a collection of code that other programs can use".split()
    tgt = "Uma biblioteca é uma coleção de código que outros programas podem usar".split()
    links = aligner.align([(src, tgt)])[0]
    assert (1, 1) in links  # library - biblioteca
    assert (6, 6) in links  # code - código
    assert (9, 9) in links  # programs - programas
    assert len(links) >= 9


def test_e5_aligns_reordered_words(aligner: E5Aligner) -> None:
    src = "the red book is on the table".split()
    tgt = "o livro vermelho está na mesa".split()
    links = aligner.align([(src, tgt)])[0]
    assert (1, 2) in links and (2, 1) in links  # red - vermelho, book - livro
    assert (6, 5) in links  # table - mesa


def test_empty_sides_give_no_links(aligner: E5Aligner) -> None:
    assert aligner.align([([], ["a"]), (["a"], [])]) == [set(), set()]
    assert aligner.align([]) == []


def test_token_vectors_have_one_row_per_position(aligner: E5Aligner) -> None:
    pieces = aligner.encoder.tokenizer.encode("Hello world")
    [states] = aligner.encoder.token_vectors([pieces], layer=8)
    assert states.shape == (len(pieces) + 2, 384)
    with pytest.raises(ValueError):
        aligner.encoder.token_vectors([pieces], layer=13)


def test_aligner_runs_e5_on_one_thread_and_restores_the_callers_setting(aligner: E5Aligner) -> None:
    torch = pytest.importorskip("torch")
    seen: list[int] = []
    encoder = aligner.encoder
    original = encoder.token_vectors

    def spy(*args, **kwargs):  # the thread count e5 actually runs with
        seen.append(torch.get_num_threads())
        return original(*args, **kwargs)

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    encoder.token_vectors = spy
    try:
        links = aligner.align([(["the", "library"], ["a", "biblioteca"])])
        assert seen == [1] and torch.get_num_threads() == 2
        assert (1, 1) in links[0]
        unthreaded = E5Aligner(encoder, threads=None)
        assert unthreaded.align([(["the", "library"], ["a", "biblioteca"])]) == links  # same links on 2 threads
        assert seen[-1] == 2
    finally:
        del encoder.token_vectors
        torch.set_num_threads(before)
