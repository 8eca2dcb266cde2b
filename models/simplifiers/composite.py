"""The default simplifier: lexical substitutions, then structural rewrites, sentence by sentence.

Only sentences above the target grade are touched. Each output carries its operations (replaced
"commence" -> "start", split at "which"...). A per-sentence choice keeps whichever of the candidates
(lexical only, structural only, both) scores best by `candidate_score`, tuned on ASSET validation and
OneStopEnglish (scripts/eval_simplifiers.py), never on test sets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from models.signature import ModelSignature
from models.simplifiers.base import GradeFunction
from models.simplifiers.operations import Operation, Simplification

SentenceRewrite = Callable[[str], tuple[str, list[Operation]]]
BatchRewrite = Callable[[Sequence[str]], list[tuple[str, list[Operation]]]]


def rewrite_sentences(text: str, target_grade: float, rewrite: SentenceRewrite, *,
                      grade: GradeFunction) -> Simplification:
    """Split `text` into sentences, rewrite those above the target grade (`grade`: the caller's formula,
    as in models.simplifiers.base), join them; collect the operations. One sentence at a time."""
    return rewrite_batched([text], target_grade, lambda batch: [rewrite(s) for s in batch], grade=grade)[0]


def rewrite_batched(texts: Sequence[str], target_grade: float, rewrite: BatchRewrite, *,
                    grade: GradeFunction) -> list[Simplification]:
    """`rewrite_sentences` for many texts at once: every sentence above the target grade, from all the
    texts, goes to `rewrite` in one batch (one parse pass and one encoder call instead of one per sentence)."""
    from models.sentences import join_sentences, split_sentences

    split = [split_sentences(t) for t in texts]
    hard = list(dict.fromkeys(s for sentences in split for s in sentences if grade(s) > target_grade))
    rewritten = dict(zip(hard, rewrite(hard))) if hard else {}
    results: list[Simplification] = []
    for text, sentences in zip(texts, split):
        out: list[str] = []
        operations: list[Operation] = []
        for sentence in sentences:
            new, ops = rewritten.get(sentence, (sentence, []))
            new = new.strip()
            if new and new != sentence and ops:
                out.append(new)
                operations += ops
            else:
                out.append(sentence)
        results.append(Simplification(join_sentences(out), operations) if operations else Simplification(text, []))
    return results


class BatchRewriting:
    """`simplify` and `rewrite` for a simplifier that rewrites sentences in batches (`rewrite_batch`)."""

    grade: GradeFunction

    def rewrite_batch(self, sentences: Sequence[str],
                      keep_terms: Sequence[str] = ()) -> list[tuple[str, list[Operation]]]:
        raise NotImplementedError

    def simplify(self, texts: Sequence[str], *, target_grade: float) -> list[str]:
        return [r.text for r in self.rewrite(texts, target_grade=target_grade)]

    def rewrite(self, texts: Sequence[str], *, target_grade: float,
                keep_terms: Sequence[str] = ()) -> list[Simplification]:
        return rewrite_batched(texts, target_grade, lambda batch: self.rewrite_batch(batch, keep_terms),
                               grade=self.grade)


class DefaultSimplifier(BatchRewriting):
    """Lexical (WordNet + wordfreq + e5) then structural (parenthetical, apposition, clause splits).

    Without WordNet the lexical step is skipped and the structural rules still run; `lexical_missing`
    then says what to install (the CLI prints it)."""

    name = "default"

    def __init__(self, *, grade: GradeFunction, embedder: Any = None, language: str = "en",
                 cache_dir: Path | None = None,
                 lexical_options: dict[str, Any] | None = None, structural: bool = True,
                 lexical: bool = True) -> None:
        from models.simplifiers.structural import StructuralSimplifier
        from models.simplifiers.wordnet import INSTALL_HINT, wordnet_available

        self.language = language
        self.grade = grade
        self.structural = StructuralSimplifier(grade=grade, language=language) if structural else None
        self.lexical = None
        self.lexical_missing = ""
        if lexical:
            if wordnet_available():
                from models.simplifiers.lexical import LexicalSimplifier

                self.lexical = LexicalSimplifier(grade=grade, embedder=embedder, language=language, cache_dir=cache_dir,
                                                 **(lexical_options or {}))
            else:
                self.lexical_missing = f"WordNet 3.0 is not installed, so only structural rules run: {INSTALL_HINT}"
                import warnings

                warnings.warn(self.lexical_missing, stacklevel=2)  # printed once on stderr by the CLI

    def rewrite_sentence(self, sentence: str, keep_terms: Sequence[str] = ()) -> tuple[str, list[Operation]]:
        return self.rewrite_batch([sentence], keep_terms)[0]

    def rewrite_batch(self, sentences: Sequence[str],
                      keep_terms: Sequence[str] = ()) -> list[tuple[str, list[Operation]]]:
        """Lexical substitutions for all sentences together (one encoder call), then the structural rules
        on each result (parsed together first: models.simplifiers.parsing)."""
        results: list[tuple[str, list[Operation]]] = [(s, []) for s in sentences]
        if self.lexical is not None:
            results = self.lexical.rewrite_batch(sentences, keep_terms)
        if self.structural is not None:
            from models.simplifiers.parsing import parse_many

            parse_many([text for text, _ in results])
            results = [(new, ops + more) for (new, more), (_, ops) in
                       zip((self.structural.rewrite_sentence(text, keep_terms) for text, _ in results), results)]
        return results

    def signature(self) -> ModelSignature:
        parts = {}
        if self.lexical is not None:
            parts["lexical"] = self.lexical.signature().to_json()
        if self.structural is not None:
            parts["structural"] = self.structural.signature().to_json()
        return ModelSignature("default", "lexical+structural-v1", "", parts)
