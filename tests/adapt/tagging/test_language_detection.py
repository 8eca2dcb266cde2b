"""Language identification offline: scripts, then function-word profiles; None rather than a guess."""

from __future__ import annotations

import pytest

from adapt.tagging.language import detect_language

CASES = [
    ("en", "Psychology is the scientific study of the mind and behavior. Psychologists study how people think, "
           "feel and act, and they use research methods to test their ideas."),
    ("pt", "A psicologia é o estudo científico da mente e do comportamento. Os psicólogos estudam como as pessoas "
           "pensam, sentem e agem, e usam métodos de pesquisa para testar as suas ideias."),
    ("es", "La psicología es el estudio científico de la mente y del comportamiento. Los psicólogos estudian cómo "
           "piensan, sienten y actúan las personas, y usan métodos de investigación."),
    ("fr", "La psychologie est l'étude scientifique de l'esprit et du comportement. Les psychologues étudient "
           "comment les gens pensent, ressentent et agissent."),
    ("de", "Die Psychologie ist die Wissenschaft vom Erleben und Verhalten des Menschen. Psychologen untersuchen, "
           "wie Menschen denken, fühlen und handeln."),
    ("it", "La psicologia è lo studio scientifico della mente e del comportamento. Gli psicologi studiano come le "
           "persone pensano e agiscono."),
    ("nl", "Psychologie is de wetenschappelijke studie van de geest en het gedrag. Psychologen onderzoeken hoe "
           "mensen denken en handelen, en dat doen ze met onderzoek."),
    ("ru", "Психология — это научное изучение психики и поведения человека."),
    ("uk", "Психологія — це наука про психіку та поведінку людини, її мислення і почуття."),
    ("el", "Η ψυχολογία είναι η επιστημονική μελέτη του νου και της συμπεριφοράς."),
    ("ar", "علم النفس هو الدراسة العلمية للعقل والسلوك."),
    ("hi", "मनोविज्ञान मन और व्यवहार का वैज्ञानिक अध्ययन है।"),
    ("zh", "心理学是研究人类心理现象和行为的科学。"),
    ("ja", "心理学は、心と行動を科学的に研究する学問です。"),
    ("ko", "심리학은 마음과 행동을 과학적으로 연구하는 학문이다."),
]


@pytest.mark.parametrize(("expected", "text"), CASES, ids=[c[0] for c in CASES])
def test_language_detection_known_paragraphs(expected, text):
    guess = detect_language(text)
    assert guess.language == expected, guess
    assert 0 < guess.confidence <= 1


@pytest.mark.parametrize("text", ["", "   ", "12345 678 90", "print(x)", "f(x) = x^2 + 1", "OK", "\x00\x01" * 100])
def test_language_detection_says_none_without_evidence(text):
    assert detect_language(text).language is None


def test_language_detection_huge_input_is_bounded():
    text = CASES[1][1] * 5000  # ~800 kB
    assert detect_language(text).language == "pt"


def test_language_detection_portuguese_not_spanish_with_shared_words():
    # "de", "que", "a", "o" are in both; nasal vowels and -ção decide.
    assert detect_language("A função de um neurônio é transmitir informação e não só isso.").language == "pt"
    assert detect_language("La función de una neurona es transmitir información a otras células.").language == "es"
