"""Which candidate phrases are names of things, without a part-of-speech tagger.

For languages with no packaged spaCy pipeline (Portuguese, Spanish... on PyPI there is none with a usable
licence and version), keywords come from word n-grams. Bare verbs and function words must not get
through, so a phrase is kept only with *distributional* evidence that it is nominal, read off the
document itself:
- it follows a determiner somewhere ("o ciclo", "da água", "the water cycle"): nouns take determiners,
  verbs do not. Determiners that double as prepositions or pronouns ("a", "o" in Portuguese) count only
  for words that do not look like infinitives ("começa a chover" is not evidence for "chover");
- and, in languages whose noun comes first (pt, es, fr, it, ca, gl), its last and inner words are nominal
  themselves (they follow a determiner somewhere), have an adjective ending ("energia solar", "sistema
  nervoso") or are function words inside ("ciclo da água"), so "a chuva cai" does not yield "chuva cai";
  in English and German (noun last; English has spaCy anyway) a phrase may not end in -ed / -ing;
- or it is a run of capitalised words inside a sentence: a name ("Sol", "Rio Amazonas").
Languages without determiner lists here keep the stop-word filter only.
"""

from __future__ import annotations

import re

# Articles, demonstratives, possessives and article+preposition contractions, per language.
DETERMINERS: dict[str, frozenset[str]] = {
    "en": frozenset("the a an this these those its their our your his her my each every another".split()),
    "pt": frozenset("os as um uma uns umas do da dos das no na nos nas ao aos à às pelo pela pelos pelas este "
                    "esta estes estas esse essa esses essas aquele aquela aqueles aquelas seu sua seus suas num "
                    "numa dum duma cada deste desta neste nesta desse dessa nesse nessa".split()),
    "es": frozenset("el los las un una unos unas del al este esta estos estas ese esa esos esas aquel aquella "
                    "su sus cada".split()),
    "fr": frozenset("le les un une des du au aux ce cet cette ces son sa ses leur leurs chaque".split()),
    "it": frozenset("il lo gli un uno una del dello della dei degli delle al allo alla ai agli alle nel nello "
                    "nella nei negli nelle questo questa questi queste ogni".split()),
    "ca": frozenset("el els les un una uns unes del dels al als pel pels aquest aquesta aquests aquestes "
                    "cada".split()),
    "gl": frozenset("os as un unha uns unhas do da dos das no na nos nas ao aos á ás polo pola este esta "
                    "cada".split()),
    "de": frozenset("der die das den dem des ein eine einen einem einer eines dieser diese dieses jeder "
                    "jede jedes".split()),
}
# Determiners that are also prepositions or object pronouns: evidence only for non-infinitive-looking words.
AMBIGUOUS: dict[str, frozenset[str]] = {
    "pt": frozenset({"a", "o"}), "es": frozenset({"la", "lo"}), "fr": frozenset({"la", "l"}),
    "it": frozenset({"la", "le", "i"}), "ca": frozenset({"la", "l"}), "gl": frozenset({"a", "o"}),
}
_INFINITIVE = {
    "pt": re.compile(r"(ar|er|ir)$"), "gl": re.compile(r"(ar|er|ir)$"), "es": re.compile(r"(ar|er|ir)$"),
    "fr": re.compile(r"(er|ir|re)$"), "it": re.compile(r"(are|ere|ire)$"), "ca": re.compile(r"(ar|er|re|ir)$"),
}
_ADJECTIVE = {
    "pt": re.compile(r"(al|ais|lar|ear|ico|ica|icos|icas|ivo|iva|ivos|ivas|oso|osa|osos|osas|ável|ível|áveis|íveis|"
                     r"ário|ária|ários|árias|ente|entes|ante|antes|ino|ina|ano|ana|eno|ena|ado|ada|ados|adas|ido|ida|"
                     r"idos|idas|ês|esa)$"),
    "es": re.compile(r"(al|ales|lar|ico|ica|icos|icas|ivo|iva|oso|osa|able|ible|ario|aria|ente|ante|ado|ada|ido|"
                     r"ida|ino|ina|ano|ana)s?$"),
    "gl": re.compile(r"(al|ais|lar|ico|ica|ivo|iva|oso|osa|ábel|íbel|ario|aria|ente|ante|ado|ada|ido|ida)s?$"),
    "fr": re.compile(r"(al|aux|ale|ique|if|ive|eux|euse|able|ible|aire|ent|ente|ant|ante|é|ée|ien|ienne)s?$"),
    "it": re.compile(r"(ale|ali|ico|ica|ici|iche|ivo|iva|oso|osa|abile|ibile|ario|aria|ente|ante|ato|ata)$"),
    "ca": re.compile(r"(al|als|ic|ica|ics|iques|iu|iva|ós|osa|able|ible|ari|ària|ent|ant|at|ada)$"),
    "en": re.compile(r"(al|ic|ical|ive|ous|able|ible|ary|ent|ant|ar)$"),
}


# Languages whose noun comes last in its phrase; multi-word phrases there only refuse verb-looking ends.
HEAD_FINAL = frozenset({"en", "de"})
_HEAD_FINAL_VERB = {"en": re.compile(r"(ed|ing)$")}


def has_rules(language: str | None) -> bool:
    return (language or "") in DETERMINERS


def nominal_evidence(sentences: list[list[str]], language: str | None) -> set[str]:
    """Lower-cased words that follow a determiner somewhere in the document (ambiguous determiners count
    only for words that do not look like infinitives)."""
    dets = DETERMINERS.get(language or "", frozenset())
    ambiguous = AMBIGUOUS.get(language or "", frozenset())
    infinitive = _INFINITIVE.get(language or "")
    found: set[str] = set()
    for words in sentences:
        for prev, word in zip(words, words[1:]):
            if prev in dets:
                found.add(word)
            elif prev in ambiguous and not (infinitive and infinitive.search(word)):
                found.add(word)
    return found


def phrase_preceded(sentences: list[list[str]], phrase: tuple[str, ...], language: str | None) -> bool:
    """Whether some occurrence of the phrase directly follows a determiner."""
    dets = DETERMINERS.get(language or "", frozenset()) | AMBIGUOUS.get(language or "", frozenset())
    n = len(phrase)
    for words in sentences:
        for i in range(1, len(words) - n + 1):
            if words[i - 1] in dets and tuple(words[i : i + n]) == phrase:
                return True
    return False


def is_nominal(phrase: tuple[str, ...], *, evidence: set[str], preceded: bool, language: str | None,
               function_words: frozenset[str] = frozenset()) -> bool:
    """The rule of the module docstring for one lower-cased phrase. Inner words must be nominal,
    adjective-like or function words ("ciclo da água"), so no verb hides inside ("gotas ficam pesadas")."""
    if not has_rules(language):
        return True
    head_ok = phrase[0] in evidence
    if len(phrase) == 1:
        return head_ok
    adjective = _ADJECTIVE.get(language or "")

    def modifier(word: str) -> bool:
        return word in evidence or bool(adjective and adjective.search(word))

    if language in HEAD_FINAL:
        # "the nervous system": the word after the determiner is the modifier, the noun comes last.
        verb_like = _HEAD_FINAL_VERB.get(language or "")
        return (head_ok or preceded) and not (verb_like and verb_like.search(phrase[-1]))
    inner_ok = all(modifier(w) or w in function_words for w in phrase[1:-1])
    return (head_ok or preceded) and modifier(phrase[-1]) and inner_ok


def is_name(surface: str) -> bool:
    """A run of capitalised words (not all capitals): read as a name when seen inside a sentence."""
    words = surface.split()
    return bool(words) and all(w[:1].isupper() and not w.isupper() for w in words)
