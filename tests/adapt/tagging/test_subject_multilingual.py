"""A Spanish or Portuguese paragraph gets the same ISCED-F field as its English original (real e5)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

# Each row: the field, then one paragraph in English, Spanish and Portuguese (our own translations).
PARAGRAPHS = {
    "0313": {
        "en": "Psychologists study how people think, feel and behave. Memory, perception, emotion and "
              "motivation are studied with experiments and surveys, and clinical psychologists help people "
              "with anxiety and depression through therapy.",
        "es": "Los psicólogos estudian cómo piensan, sienten y se comportan las personas. La memoria, la "
              "percepción, la emoción y la motivación se estudian con experimentos y encuestas, y los psicólogos "
              "clínicos ayudan a las personas con ansiedad y depresión mediante la terapia.",
        "pt": "Os psicólogos estudam como as pessoas pensam, sentem e se comportam. A memória, a percepção, a "
              "emoção e a motivação são estudadas com experimentos e questionários, e os psicólogos clínicos "
              "ajudam as pessoas com ansiedade e depressão por meio da terapia.",
    },
    "0613": {
        "en": "A function in a program groups statements under a name. The function receives arguments, "
              "runs a loop over a list, and returns a value; a programmer calls it whenever the same steps are "
              "needed, which keeps the code short and easy to test.",
        "es": "Una función en un programa agrupa instrucciones bajo un nombre. La función recibe argumentos, "
              "recorre una lista con un bucle y devuelve un valor; el programador la llama cada vez que necesita "
              "los mismos pasos, lo que mantiene el código corto y fácil de probar.",
        "pt": "Uma função num programa agrupa instruções sob um nome. A função recebe argumentos, percorre uma "
              "lista com um laço e devolve um valor; o programador chama-a sempre que precisa dos mesmos passos, "
              "o que mantém o código curto e fácil de testar.",
    },
    "0533": {
        "en": "When a force acts on an object, the object accelerates. Newton's second law says that the force "
              "equals the mass times the acceleration, and the energy of the moving object grows with the square "
              "of its velocity.",
        "es": "Cuando una fuerza actúa sobre un objeto, el objeto se acelera. La segunda ley de Newton dice que la "
              "fuerza es igual a la masa por la aceleración, y la energía del objeto en movimiento crece con el "
              "cuadrado de su velocidad.",
        "pt": "Quando uma força atua sobre um objeto, o objeto acelera. A segunda lei de Newton diz que a força é "
              "igual à massa vezes a aceleração, e a energia do objeto em movimento cresce com o quadrado da sua "
              "velocidade.",
    },
}


@pytest.mark.parametrize("field", sorted(PARAGRAPHS))
@pytest.mark.parametrize("language", ["es", "pt"])
def test_subject_multilingual_same_field_as_english(e5_tagger, field, language):
    english = e5_tagger.subject.tag([PARAGRAPHS[field]["en"]])
    other = e5_tagger.subject.tag([PARAGRAPHS[field][language]])
    assert english[0].code == field, [t.text for t in english]
    assert other[0].code == english[0].code, ([t.text for t in english], [t.text for t in other])


def test_subject_multilingual_tag_texts_detects_language_and_keeps_keywords_in_it(e5_tagger):
    tags = e5_tagger.tag_texts([PARAGRAPHS["0313"]["pt"]])
    assert tags.language.language == "pt"
    assert tags.subjects[0].code == "0313"
    source = PARAGRAPHS["0313"]["pt"].lower()
    assert tags.keywords and all(k.text.lower() in source for k in tags.keywords)
    assert tags.reading is not None and tags.reading["language"] == "pt"
