"""The simplifier interface: segment texts (with placeholders) in, simpler texts out, in batches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from models.signature import ModelSignature


@runtime_checkable
class Simplifier(Protocol):
    name: str

    def simplify(self, texts: Sequence[str], *, target_grade: float) -> list[str]:
        """One output per text. Sentences at or below `target_grade` come back unchanged; a text the
        simplifier cannot improve comes back as it was (the caller then stores nothing for it)."""

    def signature(self) -> ModelSignature: ...


GradeFunction = Callable[[str], float]  # a sentence with placeholders -> its US school grade


def rewrite_hard_sentences(
    text: str, target_grade: float, rewrite: Callable[[str], str], *, grade: GradeFunction
) -> str:
    """Split `text` into sentences, rewrite only those above the target grade, join them again.

    `grade` measures a sentence (the caller's readability formula for the text's language: models/
    does not depend on adapt/). Placeholder pairs that span sentences are closed and reopened by
    `models.sentences`, so each sentence a model sees is well-formed on its own.
    """
    from models.sentences import join_sentences, split_sentences

    sentences = split_sentences(text)
    out = []
    changed = False
    for sentence in sentences:
        if grade(sentence) > target_grade:
            new = rewrite(sentence).strip()
            if new and new != sentence:
                out.append(new)
                changed = True
                continue
        out.append(sentence)
    return join_sentences(out) if changed else text
