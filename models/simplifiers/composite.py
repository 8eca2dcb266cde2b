"""The default simplifier: lexical substitutions, then structural rewrites, sentence by sentence.

Only sentences above the target grade are touched. Each output carries its operations (replaced
"commence" -> "start", split at "which"...). A per-sentence choice keeps whichever of the candidates
(lexical only, structural only, both) scores best by `candidate_score`, tuned on ASSET validation and
OneStopEnglish (scripts/eval_simplifiers.py), never on test sets.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.signature import ModelSignature
from models.simplifiers.base import GradeFunction
from models.simplifiers.operations import Operation, Simplification

if TYPE_CHECKING:
    from models.simplifiers.choice import Candidate

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


class BatchRewriting(ABC):
    """`simplify` and `rewrite` for a simplifier that rewrites sentences in batches (`rewrite_batch`)."""

    grade: GradeFunction

    @abstractmethod
    def rewrite_batch(self, sentences: Sequence[str],
                      keep_terms: Sequence[str] = ()) -> list[tuple[str, list[Operation]]]:
        """Each sentence rewritten, with the operations that made it (unchanged: the sentence, [])."""

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
                 lexical: bool = True, compression: Sequence[str] | None = None, choose: bool = True,
                 weights: dict[str, float] | None = None) -> None:
        from models.simplifiers.choice import WEIGHTS
        from models.simplifiers.compression import DEFAULT_RULES
        from models.simplifiers.structural import StructuralSimplifier
        from models.simplifiers.wordnet import INSTALL_HINT, wordnet_available

        self.language = language
        self.grade = grade
        self.target_grade = 6.0  # set by rewrite(); the choice's grade rule needs it
        self.compression = tuple(DEFAULT_RULES if compression is None else compression)
        self.choose = choose  # False: lexical then structural on every sentence, no candidates (v1)
        self.weights = dict(WEIGHTS if weights is None else weights)
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

    def rewrite(self, texts: Sequence[str], *, target_grade: float,
                keep_terms: Sequence[str] = ()) -> list[Simplification]:
        self.target_grade = target_grade
        return super().rewrite(texts, target_grade=target_grade, keep_terms=keep_terms)

    def rewrite_batch(self, sentences: Sequence[str],
                      keep_terms: Sequence[str] = ()) -> list[tuple[str, list[Operation]]]:
        """Each sentence's chosen rewrite (models.simplifiers.choice) among its candidates; without the
        choice, lexical substitutions then the structural rules on every sentence."""
        if not self.choose:
            return self._lexical_then_structural(sentences, keep_terms)
        from models.simplifiers.choice import choose

        return [(best.text, best.operations) for best in
                (choose(s, cands, grade=self.grade, target_grade=self.target_grade, weights=self.weights)
                 for s, cands in zip(sentences, self.candidate_batch(sentences, keep_terms)))]

    def candidate_batch(self, sentences: Sequence[str], keep_terms: Sequence[str] = ()) -> list[list[Candidate]]:
        """Per sentence its candidate rewrites: lexical (L), compression (C), structural (S) and the
        combinations L+C, L+S, C+S, L+C+S (those that change something). The lexical step runs for all
        sentences at once (one encoder call), and every text is parsed once (models.simplifiers.parsing)."""
        from models.simplifiers.choice import Candidate
        from models.simplifiers.compression import compress
        from models.simplifiers.lexical import protected_spans
        from models.simplifiers.parsing import parse, parse_many

        lexical = (self.lexical.rewrite_batch(sentences, keep_terms) if self.lexical is not None
                   else [(s, []) for s in sentences])
        bases: list[list[Candidate]] = []
        parse_many([*sentences, *(text for text, ops in lexical if ops)])
        for sentence, (text, ops) in zip(sentences, lexical):
            own = [Candidate("source", sentence, [])]
            if ops:
                own.append(Candidate("lexical", text, list(ops)))
            if self.compression:
                for base in list(own):
                    short, dropped = compress(parse(base.text), self.compression,
                                              protected_spans(base.text, keep_terms))
                    if dropped:
                        own.append(Candidate(_joined(base.name, "compress"), short, base.operations + dropped))
            bases.append(own)
        out: list[list[Candidate]] = []
        if self.structural is not None:
            parse_many([c.text for own in bases for c in own])
        for own in bases:
            candidates = own[1:]
            if self.structural is not None:
                for base in own:
                    text, more = self.structural.rewrite_sentence(base.text, keep_terms)
                    if more:
                        candidates.append(Candidate(_joined(base.name, "structural"), text, base.operations + more))
            out.append(candidates)
        return out

    def _lexical_then_structural(self, sentences: Sequence[str],
                                 keep_terms: Sequence[str]) -> list[tuple[str, list[Operation]]]:
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
        parts: dict[str, Any] = {}
        if self.lexical is not None:
            parts["lexical"] = self.lexical.signature().to_json()
        if self.structural is not None:
            parts["structural"] = self.structural.signature().to_json()
        if not self.choose:
            return ModelSignature("default", "lexical+structural-v1", "", parts)
        parts["compression"] = list(self.compression)
        parts["weights"] = self.weights
        return ModelSignature("default", "lexical+compression+structural-choice-v2", "", parts)


def _joined(base: str, step: str) -> str:
    return step if base == "source" else f"{base}+{step}"
