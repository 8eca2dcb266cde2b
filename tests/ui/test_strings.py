"""The UI's string table and language choice (ui.strings, ui.i18n): every key in every language with the same
placeholders, the language picked as documented, dates in words, and a Portuguese review page with no
English left from the table."""

from __future__ import annotations

import html
import re
import string
from dataclasses import replace
from types import SimpleNamespace

import pytest

from adapt.export import ExportStats
from adapt.review import Overruled, ReviewCounts
from tests.ui.test_render_beside import BASE
from ui import i18n, render
from ui.strings import LANGUAGE_NAMES, MONTHS, STRINGS


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture
def portuguese():
    i18n.use("pt")
    yield
    i18n.use("en")


def test_every_key_has_every_language_with_the_same_placeholders():
    assert len(STRINGS) > 150
    for key, entry in STRINGS.items():
        assert set(entry) == set(i18n.LANGUAGES), key
        assert all(entry[lang].strip() for lang in i18n.LANGUAGES), key
        assert placeholders(entry["pt"]) == placeholders(entry["en"]) == placeholders(entry["es"]), key
        for lang in i18n.LANGUAGES:  # every one formats (no stray braces)
            entry[lang].format(**{name: "x" for name in placeholders(entry[lang])})
    for key in STRINGS:  # plurals come in pairs
        if key.endswith(".one"):
            assert key[:-4] + ".many" in STRINGS, key
    for table in (MONTHS, LANGUAGE_NAMES):
        assert set(table) == set(i18n.LANGUAGES)
        assert all(len(v) == len(table["en"]) for v in table.values())


def test_no_command_line_words_or_internals_in_the_table():
    for key, entry in STRINGS.items():
        for text in entry.values():
            assert not re.search(r"`|\badapt (users|catalog)\b|--[a-z]", text), (key, text)


def test_the_language_is_picked_from_the_address_then_the_cookie_then_the_browser():
    assert i18n.choose(None, None, None) == "en"
    assert i18n.choose(None, None, "pt-BR,pt;q=0.9,en;q=0.8") == "pt"
    assert i18n.choose(None, None, "de-DE,es;q=0.7,en;q=0.8") == "en"  # by q value
    assert i18n.choose(None, None, "fr, es-MX;q=0.5") == "es"  # what the table lacks is skipped
    assert i18n.choose(None, None, "pt;q=0, es") == "es"
    assert i18n.choose(None, "es", "pt-BR") == "es"
    assert i18n.choose("en", "es", "pt-BR") == "en"
    assert i18n.choose("xx", "nope", "garbage;;q=") == "en"
    request = SimpleNamespace(query_params={}, cookies={i18n.COOKIE: "pt"}, headers={"accept-language": "es"})
    assert i18n.for_request(request) == "pt"


def test_dates_are_written_in_words_in_each_language():
    for lang, expected in (("en", "5 Dec 2026, 08:14 UTC"), ("pt", "5 dez 2026, 08:14 UTC"),
                           ("es", "5 dic 2026, 08:14 UTC")):
        i18n.use(lang)
        assert i18n.when("2026-12-05T08:14:59") == expected
    i18n.use("pt")
    assert i18n.when("2026-12-05T09:14:00+01:00") == "5 dez 2026, 08:14 UTC"
    assert i18n.when("not a date") == "not a date"
    i18n.use("en")


def english_fragments() -> set[str]:
    """Pieces of English from the table (between placeholders and markup) that a translated page must not
    contain: those of three letters or more that the Portuguese and Spanish strings do not share."""
    pieces = set()
    for entry in STRINGS.values():
        for piece in re.split(r"\{[^}]*\}|<[^>]+>|[*()“”«»:;,.?!·—→←/⚠]", entry["en"]):
            piece = piece.strip()
            if len(re.sub(r"[^A-Za-z]", "", piece)) >= 3 and piece not in entry["pt"] and piece not in entry["es"]:
                pieces.add(piece)
    return pieces


def visible_text(markup: str) -> str:
    markup = re.sub(r'(title|aria-label|data-changed-msg)="([^"]*)"', r">\2<", markup)  # attributes people hear
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_a_portuguese_review_page_has_no_english_left_from_the_table(portuguese):
    # Content in Spanish, so that any English on the page can only be the UI's; an edit that keeps its markers
    # (what adapt/'s checks would say about a lost one stays English: README caveat).
    base = replace(BASE, source_text="Las plantas hacen [1]comida[/1] con luz.")
    decided = replace(base, id=8, status="edited", final_text="As plantas fazem [1]comida[/1] com luz.",
                      decided_by="tina", position=2)
    simplified = replace(base, id=9, task="simplify", status="rejected", decided_by="guard", position=3,
                         qa_flags=[{"code": "length", "message": "too long"}])
    rows = [base, decided, simplified]
    history = [SimpleNamespace(created_at="2026-12-05T08:14:00", actor="tina", action="edit",
                               text="As plantas fazem comida com luz.")]
    comments = [SimpleNamespace(created_at="2026-12-05T08:20:00", actor="ed", text="ok")]
    detail = render.detail_html(decided, history, comments=comments, can_comment=True,
                                beside=render.segment_related_html(8, render.related_html({"catalogue_items": 0}),
                                                                   compatible=False))
    note = render.overruled_note(Overruled("tina", "edit", "x", "ed", "reject", "2026-12-05T08:30:00"), "ed")
    page = "".join([
        render.table_html(rows, can_review=True, selected=8, detail=detail, notes={7: note}),
        render.counts_html(ReviewCounts(3, {"pending": 1, "accepted": 0, "edited": 1, "rejected": 1}, 1, 1),
                           matching=3),
        render.undecided_warning(ExportStats(segments=3, accepted=0, edited=1, unreviewed=0, untouched=2,
                                             words_total=9, words_machine_unedited=0, undecided=2,
                                             refused_by_checks=1), included=False),
        render.detail_html(None, []), render.table_html([], can_review=True),
        render.jobs_html([], str), render.tags_html([], can_review=True),
    ])
    text = visible_text(page)
    assert "Sugestão n.º 8" in text and "Original" in text and "editada" in text and "Histórico" in text
    assert "5 dez 2026, 08:14 UTC" in text and "tina  editou" in text and "ed  comentou" in text
    assert "recusadas pelas verificações" in text and "2 / 3 revistas" in text
    assert "Você tinha editado isto" not in text and "depois você rejeitou" in text
    left = sorted(piece for piece in english_fragments() if re.search(rf"\b{re.escape(piece)}\b", text))
    assert left == [], left
    # The same page in English has them: the check above can fail.
    i18n.use("en")
    english = visible_text(render.table_html(rows, can_review=True, selected=8, detail=detail))
    assert any(re.search(rf"\b{re.escape(piece)}\b", english) for piece in english_fragments())


def test_the_review_table_tells_the_browser_script_what_to_say_in_its_language(portuguese):
    table = render.table_html([BASE], can_review=True)
    assert 'data-changed-msg="Outra pessoa alterou esta linha' in table
    assert ">Aceitar</button>" in table and ">Rejeitar</button>" in table
    assert 'aria-label="Editar a sugestão 7"' in table


def flag_codes_the_core_writes() -> set[str]:
    """Every QA flag code adapt/ can put on a suggestion, read from its source (Flag("code", ...) and the
    markup check's code table), so a new flag without words in the table fails the test below."""
    from pathlib import Path

    import adapt

    codes: set[str] = set()
    for path in Path(adapt.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'\bFlag\(\s*"([a-z][a-z-]*)"', text))
        codes |= set(re.findall(r'"(markup-[a-z]+)"', text))
    return codes


def test_every_qa_flag_is_named_in_words_in_every_language(portuguese):
    codes = flag_codes_the_core_writes()
    assert {"placeholder-missing", "markup-emptied", "number-missing", "credit-lost"} <= codes
    assert sorted(code for code in codes if f"qa.{code}" not in STRINGS) == []
    flagged = replace(BASE, qa_flags=[{"code": "placeholder-missing", "message": "markup lost: [1]"},
                                      {"code": "some-new-check", "message": "?"}])
    row = render.table_html([flagged], can_review=True)
    assert ">formatação perdida</span>" in row and 'data-code="placeholder-missing"' in row
    assert ">some-new-check</span>" in row  # an unknown code is shown as it is, never dropped
    assert 'title="markup lost: [1]"' in row
    detail = render.detail_html(flagged, [])
    assert "<b>formatação perdida</b> <code>placeholder-missing</code>" in detail
    i18n.use("es")
    assert ">formato perdido</span>" in render.table_html([flagged], can_review=True)
    i18n.use("en")
    assert ">formatting lost</span>" in render.table_html([flagged], can_review=True)


def test_the_language_tag_says_how_it_was_told_in_words(portuguese):
    language = replace(BASE, task="tag:language", text="pt", segment_id=None,
                       scores={"language": "pt", "confidence": 0.97, "method": "stopwords"})
    html = render.tags_html([language], can_review=True)
    assert "pelas palavras mais comuns" in html and "stopwords" not in html


def test_an_edit_then_accepted_is_named_as_the_reviewers_text(portuguese):
    accepted_edit = replace(BASE, status="accepted", final_text="As plantas fazem comida com luz.", decided_by="ed")
    accepted = replace(BASE, id=8, status="accepted", decided_by="ed")
    row, plain = (visible_text(render.row_html(s, can_review=True, selected=None)) for s in (accepted_edit, accepted))
    assert "aceita com edição" in row and "aceita com edição" not in plain and "aceita" in plain
    assert "aceita com edição" in visible_text(render.detail_html(accepted_edit, []))
    i18n.use("en")
    assert render.decision_label(accepted_edit) == "accepted with edits"
    assert render.decision_label(accepted) == "accepted"
