"""Tag a document: language, subject (ISCED-F), keywords, reading level, educational level and
learning resource type, as suggestions a reviewer accepts, edits or rejects like any other.

Tags are stored in the suggestions table with `segment_id` NULL and a task per kind of tag
(`TASKS`); the suggestion's text is what the reviewer sees and may edit ("0313 Psychology",
"neurons", "en"...), its scores keep the evidence, its signature the model and settings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from typing import Any

from adapt.document import Document
from adapt.store import NewSuggestion
from adapt.tagging.keywords import Keyword, extract_keywords
from adapt.tagging.language import LanguageGuess, detect_language
from adapt.tagging.levels import LevelEstimate, ResourceType, estimate_level, resource_types
from adapt.tagging.subject import SubjectTag, SubjectTagger, chunk_text, document_words

TASK_LANGUAGE = "tag:language"
TASK_SUBJECT = "tag:subject"
TASK_KEYWORD = "tag:keyword"
TASK_READING_LEVEL = "tag:reading_level"
TASK_LEVEL = "tag:educational_level"
TASK_TYPE = "tag:resource_type"
TASKS = (TASK_LANGUAGE, TASK_SUBJECT, TASK_KEYWORD, TASK_READING_LEVEL, TASK_LEVEL, TASK_TYPE)
TAGGER_VERSION = "tagging-v1"


@dataclass(frozen=True)
class TagSet:
    """Everything the tagger suggests for one document."""

    language: LanguageGuess
    subjects: list[SubjectTag]
    keywords: list[Keyword]
    reading: dict[str, Any] | None  # adapt.readability figures for the whole document
    level: LevelEstimate | None
    types: list[ResourceType]
    signatures: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language.to_json(),
            "subjects": [s.to_json() for s in self.subjects],
            "keywords": [k.to_json() for k in self.keywords],
            "reading_level": self.reading,
            "educational_level": self.level.to_json() if self.level else None,
            "resource_types": [t.to_json() for t in self.types],
        }

    def suggestions(self, resource_id: int, source_text: str) -> list[NewSuggestion]:
        """One NewSuggestion per tag (segment NULL), in the order a reviewer reads them."""
        sig = self.signatures
        out: list[NewSuggestion] = []

        def add(task: str, text: str, scores: dict[str, Any], signature: dict[str, Any]) -> None:
            out.append(NewSuggestion(resource_id=resource_id, segment_id=None, task=task, target_language=None,
                                     source_text=source_text, text=text, model_signature=signature, scores=scores,
                                     origin="model" if signature.get("engine") != "rules" else "rule"))

        if self.language.language:
            add(TASK_LANGUAGE, self.language.language, self.language.to_json(), sig["language"])
        for s in self.subjects:
            add(TASK_SUBJECT, s.text, s.to_json(), sig["subject"])
        for rank, k in enumerate(self.keywords, start=1):
            add(TASK_KEYWORD, k.text, {**k.to_json(), "rank": rank}, sig["keyword"])
        if self.reading:
            add(TASK_READING_LEVEL, f"grade {self.reading['grade']:.1f}", self.reading, sig["reading"])
        if self.level:
            add(TASK_LEVEL, self.level.text, self.level.to_json(), sig["reading"])
        for t in self.types:
            add(TASK_TYPE, t.type, t.to_json(), sig["type"])
        return out


def plain_texts(document: Document) -> list[str]:
    """The document's translatable text without placeholders (markup, code and math are not prose)."""
    return [t for t in (s.plain_text().strip() for s in document.translatable_segments()) if t]


class Tagger:
    """Holds the embedder and the subject tagger's label vectors, so one tagger tags many documents fast."""

    def __init__(self, embedder, *, keywords: int = 10, subjects: int = 3, context_weight: float | None = None,
                 cache_dir=None) -> None:
        from adapt.tagging.embedding import CachedEmbedder

        self.embedder = embedder if isinstance(embedder, CachedEmbedder) else CachedEmbedder(embedder)
        options: dict[str, Any] = {"cache_dir": cache_dir}
        if context_weight is not None:
            options["context_weight"] = context_weight
        self.subject = SubjectTagger(self.embedder, **options)
        self.top_keywords = keywords
        self.top_subjects = subjects

    def signatures(self) -> dict[str, dict[str, Any]]:
        model = self.embedder.signature().to_json()
        data = _data_digest()
        return {
            "language": {"engine": "rules", "model": "script+stopword-profiles", "version": TAGGER_VERSION,
                         "settings": {}},
            "subject": {**model, "settings": {**model.get("settings", {}), **self.subject.settings(),
                                              "label_data": data, "tagger": TAGGER_VERSION}},
            "keyword": {**model, "settings": {**model.get("settings", {}), "method": "keybert-mmr",
                                              "diversity": 0.5, "ngrams": "1-3", "tagger": TAGGER_VERSION}},
            "reading": {"engine": "rules", "model": "adapt.readability", "version": TAGGER_VERSION, "settings": {}},
            "type": {"engine": "rules", "model": "format-markers", "version": TAGGER_VERSION, "settings": {}},
        }

    def tag_texts(
        self,
        texts: Sequence[str],
        *,
        title: str | None = None,
        language: str | None = None,
        segments: Sequence[object] = (),
        context_texts: Sequence[str] | None = None,
        context_title: str | None = None,
    ) -> TagSet:
        """Tag a document given as its paragraphs. `language` overrides detection; `segments` (with kind,
        key, context) let the format say the resource type; `context_texts` is surrounding material
        (the book a module belongs to) that steers the subject, with `context_title` (the book's title)."""
        joined = "\n".join(texts)
        guess = detect_language(joined[:20000])
        # The detected language is the tag; a language the resource already states wins for processing.
        lang = language or guess.language or "en"
        chunks = chunk_text(texts, title=title)
        vectors = self.subject.embed(chunks)
        context, context_title_vector = self.subject.embed_context(context_texts, context_title)
        # The field texts are English: only an English text's words may break a subject toss-up.
        words = document_words(texts, title) if lang.lower().startswith("en") else None
        subjects = self.subject.rank(vectors, context_vectors=context, context_title_vector=context_title_vector,
                                     top_k=self.top_subjects, words=words)
        # The keyword document vector is the mean of the same chunks: no second pass over the text.
        keywords = extract_keywords(texts, self.embedder, language=lang, document_vector=vectors.mean(axis=0),
                                    top_n=self.top_keywords)
        reading = level = None
        if joined.strip():
            from adapt.readability import document_readability

            stats = document_readability(texts, lang)
            if stats.words:
                reading = stats.to_json()
                level = estimate_level(texts, lang)
        return TagSet(guess, subjects, keywords, reading, level, resource_types(segments), self.signatures())

    def tag_document(self, document: Document, *, language: str | None = None,
                     context_texts: Sequence[str] | None = None, context_title: str | None = None) -> TagSet:
        title = document.metadata.get("title")
        return self.tag_texts(plain_texts(document), title=title, language=language or None,
                              segments=document.segments, context_texts=context_texts, context_title=context_title)


def _data_digest() -> str:
    """A short hash of the taxonomy and description files: a changed description is a changed model."""
    data = importlib_resources.files("adapt") / "data"
    h = hashlib.sha256()
    for name in ("isced_f_2013.tsv", "isced_f_descriptions.tsv"):
        h.update((data / name).read_bytes())
    return h.hexdigest()[:12]
