"""The job form's target menu: each language with its route's quality in words, in the reader's language,
never a chrF figure (adapt.target_languages with the UI's strings)."""

from __future__ import annotations

from adapt.target_languages import QUALITY_WORDS, target_options
from ui import i18n


def test_the_ui_menu_names_the_band_in_the_readers_language(service):
    words = {k: i18n.t(f"target.{k}") for k in QUALITY_WORDS}
    options = {code: label for label, code in target_options(service, words=words)}
    assert "chrF" not in " ".join(options.values())
    assert options["es"].startswith("Spanish (es) · ") and options["es"].endswith("through Portuguese")
    i18n.use("pt")
    try:
        words = {k: i18n.t(f"target.{k}") for k in QUALITY_WORDS}
        names = {"es": "Espanhol", "pt": "Português"}
        in_text = {code: i18n.language_name(code) for code in ("es", "pt")}
        options = {code: label for label, code in target_options(service, names=names, words=words,
                                                                  pivot_names=in_text)}
        assert options["es"].startswith("Espanhol (es) · rascunho") and options["es"].endswith("através do português")
    finally:
        i18n.use("en")
