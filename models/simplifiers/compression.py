"""Compression: drop what the reference simplifications drop, each a named rule on one parsed sentence.

ASSET's human simplifications delete much of a sentence's secondary content (scripts: README, issue 17):
parentheticals, appositions, non-restrictive "which"/"who" clauses, trailing participial clauses and
"including ..." lists, and discourse adverbs such as "however", "also", "originally". Each rule here
finds such a span in the spaCy parse and returns the tokens to remove; `compress` removes the spans of
the rules it is given from one parse and tidies commas and capitals.

    parenthetical       "(to the south)"                           a parenthesis, no digit, <= 12 words
    apposition-drop     "Curie, a Polish physicist, studied"       -> "Curie studied"
    relative-drop       "The town, which lies on a river, grew"    -> "The town grew"
    participial-drop    "He returned in 2008, introducing two new" -> "He returned in 2008."
    including-drop      "many animals, including lions and bears." -> "many animals."
    adverb-drop         "However, it also rained."                 -> "It rained."

Nothing is dropped that holds a digit (the number guard would reject the suggestion for a lost date),
markup placeholders or a protected term; what is left must keep a subject, a verb and 4+ words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from adapt.placeholders import PLACEHOLDER_RE
from models.simplifiers.operations import Operation

# Discourse and hedging adverbs the ASSET references (validation sentences 1000-1999) delete in at least
# half of their occurrences ("however" 78%, "originally" 68%, "also" 51%), and a few close kin.
DROP_ADVERBS = frozenset({
    "however", "also", "additionally", "furthermore", "moreover", "originally", "subsequently", "eventually",
    "initially", "currently", "nevertheless", "nonetheless", "thus", "therefore", "respectively", "indeed",
    "approximately", "roughly", "very", "later", "then", "still", "both", "actually", "formerly", "previously",
    "primarily", "mainly", "largely", "generally", "usually", "typically", "particularly", "especially",
})
MAX_PAREN_WORDS = 12
MIN_WORDS_LEFT = 4
_SUBJECTS = {"nsubj", "nsubjpass", "expl", "csubj"}

Span = tuple[int, int]  # token indices [start, end) to remove, including the commas that go with them


def _span_text(doc: Any, start: int, end: int) -> str:
    return doc[start:end].text


def _safe(doc: Any, start: int, end: int, protected: Sequence[tuple[int, int]]) -> bool:
    """No digit, placeholder or protected character span inside tokens [start, end)."""
    if start >= end:
        return False
    text = _span_text(doc, start, end)
    if re.search(r"\d", text) or PLACEHOLDER_RE.search(text) or "[" in text or "]" in text:
        return False
    a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    return not any(x < b and a < y for x, y in protected)


def _comma_bounded(doc: Any, start: int, end: int) -> Span | None:
    """[start, end) preceded by a comma and followed by a comma or the final punctuation: the span with
    both its commas ("Curie, a physicist, studied" -> "Curie studied"), or with its leading one at the end."""
    if start < 1 or doc[start - 1].text != ",":
        return None
    if end < len(doc) and doc[end].text == ",":
        if end + 1 < len(doc) and doc[end + 1].lower_ in ("and", "or"):
            return None  # a list item, not an aside
        return (start - 1, end + 1)
    if end == len(doc) or (end == len(doc) - 1 and doc[end].is_punct and doc[end].text in ".!?"):
        return (start - 1, end)
    return None


def parenthetical_spans(doc: Any, protected: Sequence[tuple[int, int]]) -> list[Span]:
    spans = []
    opened: int | None = None
    for token in doc:
        if token.text == "(":
            opened = token.i
        elif token.text == ")" and opened is not None:
            start, end = opened, token.i + 1
            words = [t for t in doc[start + 1 : end - 1] if not t.is_punct]
            if start > 0 and 0 < len(words) <= MAX_PAREN_WORDS and _safe(doc, start, end, protected):
                spans.append((start, end))
            opened = None
    return spans


def apposition_spans(doc: Any, protected: Sequence[tuple[int, int]]) -> list[Span]:
    spans = []
    for token in doc:
        if token.dep_ != "appos" or token.head.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        start, end = token.left_edge.i, token.right_edge.i + 1
        if start != token.head.right_edge.i + 2 and start - 2 != token.head.i:
            continue  # the apposition must follow its noun phrase directly: "Curie, a physicist, ..."
        if not any(c.dep_ in ("det", "poss") for c in token.children):
            continue  # "a physician", "the mayor", "his wife": a list of names is parsed as appositions too
        span = _comma_bounded(doc, start, end)
        if span and _safe(doc, start, end, protected) and end - start >= 2:
            spans.append(span)
    return spans


def relative_spans(doc: Any, protected: Sequence[tuple[int, int]]) -> list[Span]:
    spans = []
    for rel in doc:
        if rel.dep_ != "relcl" or rel.head.pos_ not in ("NOUN", "PROPN"):
            continue
        pronoun = rel.left_edge
        if pronoun.lower_ not in ("which", "who", "whom", "whose", "where"):
            continue
        start, end = pronoun.i, rel.right_edge.i + 1
        commas = [t.i for t in doc[start:end] if t.text == ","]
        if commas:
            end = commas[0]  # the small parser runs clauses on past their closing comma
        span = _comma_bounded(doc, start, end)
        if span and _safe(doc, start, end, protected):
            spans.append(span)
    return spans


def participial_spans(doc: Any, protected: Sequence[tuple[int, int]]) -> list[Span]:
    """A trailing participial clause after a comma (", introducing two new races.")."""
    spans = []
    for verb in doc:
        if verb.tag_ not in ("VBG", "VBN") or verb.dep_ not in ("advcl", "acl", "xcomp") \
                or any(c.dep_ in ("mark", "nsubj", "nsubjpass", "aux") for c in verb.children):
            continue
        start, end = verb.left_edge.i, verb.right_edge.i + 1
        if start != verb.i:
            continue
        if not all(t.is_punct for t in doc[end:]):
            continue
        span = _comma_bounded(doc, start, end)
        if span and _safe(doc, start, end, protected):
            spans.append(span)
    return spans


def including_spans(doc: Any, protected: Sequence[tuple[int, int]]) -> list[Span]:
    """A trailing ", including A, B and C" or ", such as A and B" list of examples."""
    spans = []
    for token in doc:
        if token.lower_ == "including" or (token.lower_ == "such" and token.i + 1 < len(doc)
                                           and doc[token.i + 1].lower_ == "as"):
            start = token.i
            end = len(doc) - 1 if doc[-1].is_punct else len(doc)
            if any(t.text in (",", ";") for t in doc[start:end]) and any(t.pos_ == "VERB" for t in doc[start + 1:end]):
                continue  # a clause follows the list: its end is not the sentence's
            span = _comma_bounded(doc, start, end)
            if span and _safe(doc, start, end, protected):
                spans.append(span)
            break
    return spans


def adverb_spans(doc: Any, protected: Sequence[tuple[int, int]]) -> list[Span]:
    spans = []
    for token in doc:
        if token.lower_ not in DROP_ADVERBS or token.dep_ not in ("advmod", "preconj", "cc:preconj"):
            continue
        if token.lower_ == "both" and token.dep_ == "advmod":
            continue
        if any(True for _ in token.children) or not _safe(doc, token.i, token.i + 1, protected):
            continue
        start, end = token.i, token.i + 1
        # "However, it ..." / "..., however, ..." take their comma with them
        if end < len(doc) and doc[end].text == "," and (start == 0 or doc[start - 1].text == ","):
            end += 1
        spans.append((start, end))
    return spans


RULES: dict[str, Callable[[Any, Sequence[tuple[int, int]]], list[Span]]] = {
    "parenthetical": parenthetical_spans,
    "apposition-drop": apposition_spans,
    "relative-drop": relative_spans,
    "participial-drop": participial_spans,
    "including-drop": including_spans,
    "adverb-drop": adverb_spans,
}

# The rules the default simplifier's compression candidate applies (scripts/tune_simplify_choice.py keeps
# those that raise corpus SARI on ASSET validation sentences 1000-1999).
DEFAULT_RULES: tuple[str, ...] = tuple(RULES)


def compress(doc: Any, rules: Sequence[str], protected: Sequence[tuple[int, int]] = ()) -> tuple[str, list[Operation]]:
    """The parsed sentence without the spans the named `rules` find (unchanged, [] when none applies or
    what would be left is no longer a sentence)."""
    remove: set[int] = set()
    operations: list[Operation] = []
    for name in rules:
        for start, end in RULES[name](doc, protected):
            if any(i in remove for i in range(start, end)):
                continue
            remove.update(range(start, end))
            phrase = doc[start:end].text.strip(" ,")
            operations.append(Operation("drop", name, phrase))
    if not operations:
        return doc.text, []
    kept = [t for t in doc if t.i not in remove]
    words = [t for t in kept if not t.is_punct]
    if len(words) < MIN_WORDS_LEFT or not any(t.dep_ in _SUBJECTS for t in kept) \
            or not any(t.pos_ in ("VERB", "AUX") for t in kept):
        return doc.text, []
    return tidy(kept), operations


def tidy(tokens: Sequence[Any]) -> str:
    """Tokens of one parse (some removed) as text: spaces where neighbours were cut apart, no doubled or
    leading commas, the first letter capitalised, the final stop kept."""
    parts: list[str] = []
    for t, following in zip(tokens, list(tokens[1:]) + [None]):
        parts.append(t.text)
        if following is not None:
            parts.append(t.whitespace_ if following.i == t.i + 1 else ("" if following.is_punct
                                                                      and following.text not in "([{" else " "))
    text = "".join(parts).strip()
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(\s*[,;:])+", r"\1", text)
    text = re.sub(r"^[\s,;:]+", "", text)
    text = re.sub(r"[,;:]\s*([.!?])", r"\1", text)
    text = " ".join(text.split())
    match = re.search(r"[^\W\d_]", text)
    if match is not None:
        i = match.start()
        text = text[:i] + text[i].upper() + text[i + 1 :]
    return text
