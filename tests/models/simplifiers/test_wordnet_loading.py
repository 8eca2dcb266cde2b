"""WordNet 3.0 from Debian's wordnet-base through NLTK, offline; a clear message when it is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapt.errors import MissingModel
from models.simplifiers import wordnet as wn_module


def test_missing_wordnet_says_what_to_install(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(wn_module, "WORDNET_DIRS", (tmp_path / "nowhere",))
    monkeypatch.delenv("OER_WORDNET_DIR", raising=False)
    assert not wn_module.wordnet_available()
    with pytest.raises(MissingModel) as raised:
        wn_module.load_wordnet(tmp_path / "cache")
    assert "wordnet-base" in raised.value.one_line()


def test_lexnames_table_is_complete():
    lines = wn_module.lexnames_text().splitlines()
    assert len(lines) == 45
    assert lines[0] == "00\tadj.all\t3" and lines[29] == "29\tverb.body\t2" and lines[44] == "44\tadj.ppl\t3"


@pytest.mark.skipif(not wn_module.wordnet_available(), reason="Debian wordnet-base is not installed")
def test_wordnet_loads_offline_and_knows_commence(tmp_path: Path):
    wordnet = wn_module.load_wordnet(tmp_path)
    assert wordnet.get_version() == "3.0"
    synonyms = {name for synset in wordnet.synsets("commence", "v") for name in synset.lemma_names()}
    assert {"begin", "start"} <= synonyms
    assert wordnet.morphy("began", "v") == "begin"
