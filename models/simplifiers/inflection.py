"""Put a candidate lemma into the inflection of the word it replaces (Penn tags as spaCy gives them).

Regular English rules plus a table of common irregular verbs; `inflect` returns None when it cannot
be sure (an irregular verb it does not know), and the caller then drops that candidate rather than
offer a wrong form.
"""

from __future__ import annotations

import re

# base: (past, past participle) for common irregular verbs candidates are likely to be
_IRREGULAR = {
    "be": ("was", "been"), "begin": ("began", "begun"), "break": ("broke", "broken"), "bring": ("brought", "brought"),
    "build": ("built", "built"), "buy": ("bought", "bought"), "catch": ("caught", "caught"),
    "choose": ("chose", "chosen"), "come": ("came", "come"), "cut": ("cut", "cut"), "do": ("did", "done"),
    "draw": ("drew", "drawn"), "drink": ("drank", "drunk"), "drive": ("drove", "driven"), "eat": ("ate", "eaten"),
    "fall": ("fell", "fallen"), "feel": ("felt", "felt"), "fight": ("fought", "fought"), "find": ("found", "found"),
    "fly": ("flew", "flown"), "forget": ("forgot", "forgotten"), "get": ("got", "gotten"), "give": ("gave", "given"),
    "go": ("went", "gone"), "grow": ("grew", "grown"), "have": ("had", "had"), "hear": ("heard", "heard"),
    "hide": ("hid", "hidden"), "hit": ("hit", "hit"), "hold": ("held", "held"), "hurt": ("hurt", "hurt"),
    "keep": ("kept", "kept"), "know": ("knew", "known"), "lay": ("laid", "laid"), "lead": ("led", "led"),
    "leave": ("left", "left"), "lend": ("lent", "lent"), "let": ("let", "let"), "lie": ("lay", "lain"),
    "lose": ("lost", "lost"), "make": ("made", "made"), "mean": ("meant", "meant"), "meet": ("met", "met"),
    "pay": ("paid", "paid"), "put": ("put", "put"), "read": ("read", "read"), "ride": ("rode", "ridden"),
    "rise": ("rose", "risen"), "run": ("ran", "run"), "say": ("said", "said"), "see": ("saw", "seen"),
    "seek": ("sought", "sought"), "sell": ("sold", "sold"), "send": ("sent", "sent"), "set": ("set", "set"),
    "shake": ("shook", "shaken"), "show": ("showed", "shown"), "shut": ("shut", "shut"), "sing": ("sang", "sung"),
    "sit": ("sat", "sat"), "sleep": ("slept", "slept"), "speak": ("spoke", "spoken"), "spend": ("spent", "spent"),
    "split": ("split", "split"), "spread": ("spread", "spread"), "stand": ("stood", "stood"),
    "steal": ("stole", "stolen"), "stick": ("stuck", "stuck"), "strike": ("struck", "struck"),
    "swim": ("swam", "swum"), "take": ("took", "taken"), "teach": ("taught", "taught"), "tear": ("tore", "torn"),
    "tell": ("told", "told"), "think": ("thought", "thought"), "throw": ("threw", "thrown"),
    "understand": ("understood", "understood"), "wake": ("woke", "woken"), "wear": ("wore", "worn"),
    "win": ("won", "won"), "write": ("wrote", "written"), "bear": ("bore", "born"), "beat": ("beat", "beaten"),
    "become": ("became", "become"), "bend": ("bent", "bent"), "bind": ("bound", "bound"), "bite": ("bit", "bitten"),
    "blow": ("blew", "blown"), "deal": ("dealt", "dealt"), "dig": ("dug", "dug"), "feed": ("fed", "fed"),
    "forbid": ("forbade", "forbidden"), "freeze": ("froze", "frozen"), "hang": ("hung", "hung"),
    "light": ("lit", "lit"), "ring": ("rang", "rung"), "shine": ("shone", "shone"), "shoot": ("shot", "shot"),
    "sink": ("sank", "sunk"), "slide": ("slid", "slid"), "spin": ("spun", "spun"), "swear": ("swore", "sworn"),
    "sweep": ("swept", "swept"), "swing": ("swung", "swung"), "upset": ("upset", "upset"),
    "withdraw": ("withdrew", "withdrawn"),
}
_IRREGULAR_NOUNS = {"man": "men", "woman": "women", "child": "children", "person": "people", "foot": "feet",
                    "tooth": "teeth", "mouse": "mice", "goose": "geese"}
_VOWELS = "aeiou"


def _double_final(word: str) -> bool:
    # stop -> stopped: one syllable ending consonant-vowel-consonant (not w, x, y)
    return bool(re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", word))


def _s_form(word: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if word.endswith("o") and not word.endswith("oo"):
        return word + "es"
    return word + "s"


def _ed_form(word: str) -> str:
    if word.endswith("e"):
        return word + "d"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ied"
    if _double_final(word):
        return word + word[-1] + "ed"
    return word + "ed"


def _ing_form(word: str) -> str:
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "oe", "ye")):
        return word[:-1] + "ing"
    if _double_final(word):
        return word + word[-1] + "ing"
    return word + "ing"


def inflect(lemma: str, tag: str) -> str | None:
    """`lemma` in the form the Penn `tag` asks for; None when unsure. Multi-word lemmas inflect their
    first word ("set about" -> "sets about")."""
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    if tag in ("VB", "VBP", "NN", "JJ", "RB", "NNP"):
        return lemma
    if tag == "NNS":
        if rest:
            return None  # "ice cream" -> the last word would inflect: not worth the risk
        return _IRREGULAR_NOUNS.get(head, _s_form(head))
    if tag == "VBZ":
        irregular = {"be": "is", "have": "has", "do": "does", "go": "goes"}
        return irregular.get(head, _s_form(head)) + tail
    if tag == "VBG":
        return _ing_form(head) + tail
    if tag in ("VBD", "VBN"):
        if head in _IRREGULAR:
            past, participle = _IRREGULAR[head]
            return (past if tag == "VBD" else participle) + tail
        return _ed_form(head) + tail
    return None  # comparatives, superlatives and the rest: leave the word alone


def irregular_verb_lemmas() -> frozenset[str]:
    return frozenset(_IRREGULAR)


def match_case(word: str, template: str) -> str:
    """`word` with the capitalisation of `template` (all caps, first capital, or as is)."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def article_for(word: str) -> str:
    """"a" or "an" before `word` (by its spelling; a few common exceptions)."""
    lower = word.lower()
    if lower.startswith(("uni", "use", "usu", "one", "eu")):
        return "a"
    if lower.startswith(("hour", "honest", "honour", "honor", "heir")):
        return "an"
    return "an" if lower[:1] in _VOWELS else "a"
