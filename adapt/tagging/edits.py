"""Checks on a reviewer's edit of a tag: some tags have a grammar, most are free text."""

from __future__ import annotations

from adapt.tagging.bcp47 import check_language_tag

TASK_LANGUAGE = "tag:language"  # adapt.tagging.tagger.TASK_LANGUAGE (not imported: the store imports this)


def check_tag_edit(task: str, text: str) -> str:
    """The text to store for an edit of a suggestion of `task`. A Language tag must be a BCP 47 tag
    (LanguageTagError, a UserError, otherwise) and is stored in its conventional case; a subject,
    keyword or any other text passes unchanged, so a free-text subject stays allowed."""
    if task == TASK_LANGUAGE:
        return check_language_tag(text)
    return text
