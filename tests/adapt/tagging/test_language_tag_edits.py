"""The Language tag is a language: an edit must be a BCP 47 tag (refused with a message otherwise) while a
subject or keyword stays free text. Real SQLite store; tags from the hash embedder (plumbing only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapt.errors import UserError
from adapt.tagging.bcp47 import LanguageTagError, check_language_tag, is_language_tag
from adapt.tagging.run import tag_resource, tag_suggestions
from adapt.tagging.tagger import TASK_KEYWORD, TASK_LANGUAGE, TASK_SUBJECT


@pytest.mark.parametrize("text, expected", [
    ("en", "en"), ("PT-br", "pt-BR"), ("pt_BR", "pt-BR"), ("es-419", "es-419"), ("zh-hant-tw", "zh-Hant-TW"),
    ("sr-Latn-RS", "sr-Latn-RS"), ("de-CH-1901", "de-CH-1901"), ("gsw", "gsw"), ("en-US-x-twain", "en-US-x-twain"),
    ("x-klingon", "x-klingon"), ("i-klingon", "i-klingon"), (" fr ", "fr"), ("en-a-bbb-x-a-ccc", "en-a-bbb-x-a-ccc"),
])
def test_language_tag_valid_tags_come_back_in_conventional_case(text, expected):
    assert check_language_tag(text) == expected
    assert is_language_tag(text)


@pytest.mark.parametrize("text", [
    "Ciências", "Ciencias", "Biology", "english", "", "   ", "e", "en--US", "en-", "-en", "zz", "qq-BR",
    "en-US-US", "de-1901-1901", "en-a-bbb-a-ccc", "pt BR", "pt-BRA1", "0313 Psychology", "en_US_", "português",
])
def test_language_tag_non_tags_are_refused_with_what_to_type(text):
    with pytest.raises(LanguageTagError) as err:
        check_language_tag(text)
    assert isinstance(err.value, UserError)
    assert "pt-BR" in err.value.hint
    assert not is_language_tag(text)


LESSON = "# Ciclo da água\n\nA água do mar evapora com o calor do Sol. O vapor forma as nuvens e a chuva cai.\n"


@pytest.fixture
def tagged(service, tmp_path: Path, hash_tagger):
    path = tmp_path / "agua.md"
    path.write_text(LESSON, encoding="utf-8")
    rid = service.import_file(path, license="CC-BY-4.0", owner="tester").resource_id
    tag_resource(service.store, rid, hash_tagger)
    return {s.task: s for s in reversed(tag_suggestions(service.store, rid))}


def test_language_tag_edit_to_a_subject_name_is_refused_and_nothing_is_recorded(service, tagged):
    language = tagged[TASK_LANGUAGE]
    with pytest.raises(LanguageTagError, match="Ciências"):
        service.store.edit(language.id, "Ciências", actor="ana")
    assert service.store.decisions(language.id) == []
    assert service.store.suggestion(language.id).status == "pending"


def test_language_tag_edit_to_a_tag_is_stored_in_conventional_case(service, tagged):
    language = tagged[TASK_LANGUAGE]
    edited = service.store.edit(language.id, "pt-br", actor="ana")
    assert edited.status == "edited" and edited.current_text == "pt-BR"


def test_language_tag_free_text_subject_and_keyword_edits_stay_allowed(service, tagged):
    subject = service.store.edit(tagged[TASK_SUBJECT].id, "Ciências", actor="ana")
    keyword = service.store.edit(tagged[TASK_KEYWORD].id, "ciclo da água", actor="ana")
    assert subject.current_text == "Ciências" and keyword.current_text == "ciclo da água"
