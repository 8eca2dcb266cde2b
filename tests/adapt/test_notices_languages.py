"""Export notes in the reader's language: fixed templates for en, pt, es, fr, ca, gl; languages named
in words; no model ids; English with a message for any other language; same place in every format."""

from __future__ import annotations

import pytest

from adapt.formats import parse_stored
from adapt.notices import reader_language
from adapt.notices.templates import LANGUAGES, MONTHS, TEMPLATES
from adapt.store import NewSuggestion

LESSON = b"# Water\n\nWater moves from the sea to the air.\n\nRain falls on the land.\n"
FROM_EN_TO_PT = {"en": "translated from Portuguese to English", "pt": "do inglês para o português",
                 "es": "del inglés al portugués", "fr": "de l'anglais vers le portugais",
                 "ca": "de l'anglès al portuguès", "gl": "do inglés ao portugués"}


def test_every_template_table_has_every_entry_and_the_same_placeholders():
    import string

    keys = set(TEMPLATES["en"])
    for lang, table in TEMPLATES.items():
        assert set(table) == keys, lang
        for key, text in table.items():
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            english = {f for _, f, _, _ in string.Formatter().parse(TEMPLATES["en"][key]) if f}
            assert fields == english, (lang, key)
        assert set(LANGUAGES[lang]) == set(LANGUAGES["en"]) and len(MONTHS[lang]) == 12


def test_reader_language_takes_the_primary_subtag_and_falls_back_with_a_message():
    assert reader_language("pt-BR") == ("pt", None)
    assert reader_language("gl") == ("gl", None)
    lang, message = reader_language("de")
    assert lang == "en" and "English" in message and "de" in message


def _translated(service, target: str, text: str, source: str = "en") -> int:
    doc = parse_stored("markdown", "water.md", LESSON)
    rid = service.import_document(doc, LESSON, language=source, license="CC-BY-SA-4.0", owner="ana").resource_id
    rows = [s for s in service.store.segments(rid) if s.translatable]
    ids = service.store.add_suggestions([
        NewSuggestion(rid, seg.id, "translate", target, seg.source_text, f"{text} {i}",
                      {"engine": "bergamot", "model": "en-pt-tiny", "version": "2.0"})
        for i, seg in enumerate(rows)])
    service.store.accept(ids[0], actor="ana")
    service.store.edit(ids[1], f"{text} editado", actor="rui")
    return rid


@pytest.mark.parametrize("lang", ["en", "pt", "es", "fr", "ca", "gl"])
def test_export_notes_are_in_the_target_language_without_model_ids(service, tmp_path, lang):
    source = "pt" if lang == "en" else "en"  # an English export: translated from Portuguese
    rid = _translated(service, lang, "Texto", source)
    out = tmp_path / "out.md"
    target = lang
    result = service.export(rid, out, target_language=target)
    text = out.read_text(encoding="utf-8")
    head = text[:text.index("# ")]  # the notes: a leading blockquote before the first heading
    assert head.startswith("> ")
    assert "bergamot" not in head and "en-pt-tiny" not in head  # no model ids in the notes...
    assert "bergamot" in result.export.plan.metadata["changes"]  # ...they stay in the metadata
    for word in TEMPLATES[lang]["reviewed"].split("{")[0].split():
        assert word in head
    assert "ana" in head and "rui" in head and "CC BY-SA 4.0" in head
    if lang == "en":
        assert FROM_EN_TO_PT["en"] in head
    else:
        assert LANGUAGES[lang]["en"][0] in head and LANGUAGES[lang][lang][1] in head  # "do inglês para o ..."
    assert result.export.notes_message is None


def test_portuguese_export_notes_read_portuguese(service, tmp_path):
    rid = _translated(service, "pt", "Texto")
    out = tmp_path / "out.md"
    service.export(rid, out, target_language="pt")
    head = out.read_text(encoding="utf-8").split("# ")[0]
    assert "Fonte: “water.md”" in head or "Fonte: “Water”" in head
    assert "tradução do inglês para o português" in head
    assert "Revisão de ana e rui." in head
    assert "Compartilha igual" in head and "Esta adaptação está licenciada sob CC BY-SA 4.0" in head
    assert " de 20" in head  # the date in words: "4 de dezembro de 2026"
    assert "Changes made" not in head and "Source:" not in head


def test_unreviewed_warning_is_in_the_readers_language(service, tmp_path):
    rid = _translated(service, "es", "Texto")
    out = tmp_path / "out.md"
    service.export(rid, out, target_language="es", include_unreviewed=True)
    text = out.read_text(encoding="utf-8")
    assert TEMPLATES["es"]["unreviewed_notice"] in text and "⚠ Texto 2" in text
    assert "unreviewed machine output" not in text


def test_a_language_without_templates_gets_english_notes_and_a_message(service, tmp_path):
    rid = _translated(service, "de", "Text")
    out = tmp_path / "out.md"
    result = service.export(rid, out, target_language="de")
    head = out.read_text(encoding="utf-8").split("# ")[0]
    assert "translated from English to German" in head
    assert "English" in result.export.notes_message


def test_html_and_cnxml_keep_their_note_markup_in_portuguese(service, tmp_path):
    html = b"<html><head><title>Agua</title></head><body><h1>Water</h1><p>Water moves from the sea.</p></body></html>"
    doc = parse_stored("html", "water.html", html)
    rid = service.import_document(doc, html, language="en", license="CC-BY-4.0", owner="ana").resource_id
    seg = next(s for s in service.store.segments(rid) if s.translatable and "sea" in s.source_text)
    (sid,) = service.store.add_suggestions([NewSuggestion(rid, seg.id, "translate", "pt", seg.source_text,
                                                          "A água move-se do mar.", {"engine": "t"})])
    service.store.accept(sid, actor="ana")
    out = tmp_path / "water.pt.html"
    service.export(rid, out, target_language="pt")
    page = out.read_text(encoding="utf-8")
    assert 'class="adapt-notice"' in page and "Fonte:" in page and "do inglês para o português" in page
