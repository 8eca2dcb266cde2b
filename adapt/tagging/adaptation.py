"""Tags for the adaptation, not only the source: keywords and reading level of the translated text.

The translated text is what reviewers accepted: each segment's accepted or edited translation into the
target language (a segment with none keeps its source text out: it is not in the target language).
The tags are stored as suggestions like the source's (segment NULL), with `target_language` set and
`scores["describes"] = "translation"`, so `adapt.metadata` puts them in the JSON-LD of the adapted
resource and keeps them out of the source's. Subject and resource type do not change with a
translation: those stay the source's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from adapt import languages
from adapt.errors import UserError
from adapt.placeholders import PLACEHOLDER_RE
from adapt.store import NewSuggestion, Store
from adapt.tagging.keywords import Keyword, extract_keywords
from adapt.tagging.subject import chunk_text
from adapt.tagging.tagger import TASK_KEYWORD, TASK_READING_LEVEL, Tagger

TRANSLATE = "translate"
ADAPTATION_TASKS = (TASK_KEYWORD, TASK_READING_LEVEL)


@dataclass(frozen=True)
class AdaptationTags:
    resource_id: int
    target_language: str
    segments: int  # translated segments the tags were computed from
    keywords: list[Keyword]
    reading: dict[str, Any] | None
    added: int
    unchanged: int

    def to_json(self) -> dict[str, Any]:
        return {"resource": self.resource_id, "target_language": self.target_language, "describes": "translation",
                "segments": self.segments, "keywords": [k.to_json() for k in self.keywords],
                "reading_level": self.reading, "added": self.added, "unchanged": self.unchanged}


def translated_texts(store: Store, resource_id: int, target_language: str) -> list[str]:
    """The accepted (or edited) translations into `target_language`, in document order, without the
    placeholder markers that stand for markup."""
    rows = [s for s in store.suggestions(resource_id, task=TRANSLATE)
            if language_matches(s.target_language, target_language) and s.status in ("accepted", "edited")]
    rows.sort(key=lambda s: (s.position if s.position is not None else 0, s.id))
    texts = []
    for s in rows:
        text = " ".join(PLACEHOLDER_RE.sub(" ", s.current_text).split())
        if text:
            texts.append(text)
    return texts


def language_matches(stored: str | None, wanted: str) -> bool:
    """A translation stored as `pt` serves a request for `pt-BR` and the other way round; `pt-PT` does not
    serve `pt-BR` (adapt.languages.match_rank)."""
    if not stored:
        return False
    return languages.match_rank(languages.try_normalise(stored) or stored,
                                languages.try_normalise(wanted) or wanted) is not None


def tag_translation(store: Store, resource_id: int, target_language: str, tagger: Tagger, *,
                    progress: Callable[[int, int], None] | None = None) -> AdaptationTags:
    """Keywords and reading level of the accepted translation, stored as target-language tag suggestions."""
    report = progress or (lambda done, total: None)
    report(0, 2)
    texts = translated_texts(store, resource_id, target_language)
    if not texts:
        raise UserError(f"resource {resource_id} has no accepted translation into {target_language}",
                        hint="translate it and accept the translations first (adapt translate / adapt accept)")
    vectors = tagger.subject.embed(chunk_text(texts))
    keywords = extract_keywords(texts, tagger.embedder, language=target_language.split("-")[0].lower(),
                                document_vector=vectors.mean(axis=0), top_n=tagger.top_keywords)
    from adapt.readability import document_readability

    stats = document_readability(texts, target_language.split("-")[0].lower())
    reading = stats.to_json() if stats.words else None
    report(1, 2)
    signatures = tagger.signatures()
    source = f"resource {resource_id}: accepted {target_language} translation ({len(texts)} segments)"
    new: list[NewSuggestion] = []
    for rank, k in enumerate(keywords, start=1):
        new.append(NewSuggestion(resource_id, None, TASK_KEYWORD, target_language, source, k.text,
                                 signatures["keyword"], scores={**k.to_json(), "rank": rank,
                                                                "describes": "translation"}))
    if reading:
        new.append(NewSuggestion(resource_id, None, TASK_READING_LEVEL, target_language, source,
                                 f"grade {reading['grade']:.1f}", signatures["reading"],
                                 scores={**reading, "describes": "translation"}, origin="rule"))
    ids = store.add_suggestions(new)
    added = sum(1 for i in ids if i is not None)
    report(2, 2)
    return AdaptationTags(resource_id, target_language, len(texts), keywords, reading, added, len(ids) - added)
