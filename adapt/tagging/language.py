"""Language identification that works offline and needs no model: writing system first, then
profiles of each language's most frequent function words.

Good on a paragraph or more (a few dozen words); on a short phrase it may answer None rather than
guess. The profiles are short hand-made lists of the commonest words, chosen to tell close
languages apart (pt/es, it/es, nl/de). Galician is left out: on short text it
cannot be told from Portuguese with word lists.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

_PROFILES: dict[str, str] = {
    "en": "the of and to in is that for it as was with be by on not he this are or his from at which but have an "
          "they you were their one all we can her has there been if more when will would who so no what its",
    "pt": "de que não em uma os no se na por mais as dos como mas foi ao ele das tem à seu sua ou ser quando "
          "muito nos já está também só pelo pela até isso ela entre era depois sem mesmo aos ter seus são você "
          "é um o da do para com são pode essa esse então",
    "es": "de que el en los del se las por un para con no una su al lo como más pero sus le ya o este sí "
          "porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante "
          "todos uno les ni contra otros ese eso ante ellos es son está puede y la",
    "fr": "de la le et les des en un du une que est pour qui dans par plus pas au sur ne se ce il sont avec "
          "ou mais comme on tout nous sa leur aux cette ses elle être fait été ont aussi peut deux",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden "
          "aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur "
          "oder aber vor zur bis mehr durch kann",
    "it": "di e il la che per un in non una del della le si è da sono con come al ma ha nel dei più anche "
          "gli alla questo delle lo ci se nella suo sua essere o ad loro cui tra quando molto stato tutti",
    "nl": "de en van het een in is dat op te zijn met voor niet aan er die om ook als maar bij nog uit wordt "
          "door dan of naar kan wel worden over hij deze ze hebben heeft zo meer tot wat",
    "ca": "de la i el que les a en els per un amb no una del com és més però al seu ha o va pel aquesta "
          "també hi ser són tot quan molt entre han sobre fins això",
    "ro": "și de în la cu a o un pe nu este din care se să mai ca pentru ce sau dar el sunt au fost "
          "acest această fi după prin cel",
    "sw": "na ya wa kwa ni za katika la kuwa hiyo huo yake hii wake pia kama lakini au hata wao sana "
          "mimi wewe yeye sisi ili tu kwamba",
    "id": "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga saya ke karena ada oleh "
          "mereka bisa atau seperti sudah kita lebih telah",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _PROFILES.items()}
# Writing systems that name one language (or a default one) on their own.
_SCRIPTS = {
    "ARABIC": "ar", "HEBREW": "he", "GREEK": "el", "DEVANAGARI": "hi", "BENGALI": "bn", "TAMIL": "ta",
    "TELUGU": "te", "THAI": "th", "HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "CJK": "zh",
    "GEORGIAN": "ka", "ARMENIAN": "hy", "ETHIOPIC": "am", "GUJARATI": "gu", "KANNADA": "kn",
    "MALAYALAM": "ml", "GURMUKHI": "pa", "KHMER": "km", "SINHALA": "si",
}
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
NAMES = {"en": "English", "pt": "Portuguese", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
         "nl": "Dutch", "ca": "Catalan", "ro": "Romanian", "sw": "Swahili", "id": "Indonesian",
         "ru": "Russian", "uk": "Ukrainian", **{v: k.title() for k, v in _SCRIPTS.items()}}


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None  # BCP 47 primary subtag, None when the text does not say
    confidence: float  # 0..1: share of the evidence that points to it
    method: str  # "script" or "stopwords"
    candidates: tuple[tuple[str, float], ...] = ()

    def to_json(self) -> dict:
        return {"language": self.language, "confidence": round(self.confidence, 3), "method": self.method,
                "candidates": [[lang, round(score, 3)] for lang, score in self.candidates]}


def detect_language(text: str, *, min_words: int = 4) -> LanguageGuess:
    """The language of `text`: its script when that decides, else function-word profiles."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return LanguageGuess(None, 0.0, "none")
    scripts = Counter(_script(ch) for ch in letters[:5000])
    script, count = scripts.most_common(1)[0]
    share = count / sum(scripts.values())
    if script == "CYRILLIC":
        # Ukrainian has letters Russian lacks.
        lang = "uk" if re.search(r"[іїєґ]", text.lower()) else "ru"
        return LanguageGuess(lang, share, "script")
    if script in ("HIRAGANA", "KATAKANA") or (script == "CJK" and (scripts["HIRAGANA"] + scripts["KATAKANA"])):
        return LanguageGuess("ja", share, "script")
    if script in _SCRIPTS:
        return LanguageGuess(_SCRIPTS[script], share, "script")
    tokens = [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]
    if len(tokens) < min_words:
        return LanguageGuess(None, 0.0, "stopwords")
    hits = {lang: sum(1 for t in tokens if t in words) for lang, words in _WORDS.items()}
    # Diacritics no other profile language uses break ties between close languages.
    lowered = text.lower()
    hits["pt"] += 2 * len(re.findall(r"[ãõ]|ção|ções", lowered))
    hits["es"] += 2 * len(re.findall(r"ñ|¿|¡|ción\b|ciones\b", lowered))
    hits["ca"] += 2 * len(re.findall(r"l·l|\bl'|\bd'\w+ció", lowered))
    hits["fr"] += 2 * len(re.findall(r"\b(?:l|d|qu|n|s|c)'|[èêëœ]", lowered))
    hits["de"] += 2 * len(re.findall(r"ß|[äöü]", lowered))
    hits["ro"] += 2 * len(re.findall(r"[șțăî]", lowered))
    total = sum(hits.values())
    ranked = sorted(hits.items(), key=lambda kv: -kv[1])
    best, best_hits = ranked[0]
    coverage = best_hits / len(tokens)
    if total == 0 or coverage < 0.08:
        return LanguageGuess(None, 0.0, "stopwords", tuple((k, v / max(total, 1)) for k, v in ranked[:3]))
    confidence = best_hits / total
    return LanguageGuess(best, confidence, "stopwords", tuple((k, v / total) for k, v in ranked[:3]))


def _script(ch: str) -> str:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "UNKNOWN"
    first = name.split()[0]
    if first == "CJK":
        return "CJK"
    return first if first in _SCRIPTS or first == "CYRILLIC" else "LATIN" if first == "LATIN" else first
