"""Subject taggers by name, for the evaluation: it tags files outside the review store.

A tagger here is the ISCED-F subject tagger of `adapt.tagging` on one embedder: `tag_files(paths)`
returns each file's detailed field codes, best first. The review path (`adapt tag`) uses the same
`adapt.tagging.Tagger`, so what is evaluated is what reviewers get.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from adapt.errors import UserError
from models.signature import ModelSignature

TAGGERS: dict[str, str] = {"isced-e5": "e5", "isced-minilm": "minilm"}
DEFAULT_TAGGER = "isced-e5"


class IscedFileTagger:
    """Reads each file with the project's format readers and ranks ISCED-F detailed fields for it."""

    def __init__(self, name: str, embedder: str, *, top: int = 3, max_bytes: int = 50 * 1024 * 1024,
                 cache_dir: Path | None = None) -> None:
        from adapt.settings import Settings
        from adapt.tagging.tagger import Tagger
        from models.embedders import get_embedder

        self.name = name
        self.top = top
        self.max_bytes = max_bytes
        # The label vectors are cached where `adapt tag` caches them: computed once per embedder.
        cache = Path(cache_dir) if cache_dir else Settings.from_env().cache_dir
        self._tagger = Tagger(get_embedder(embedder), subjects=top, cache_dir=cache / "tagging")
        # Each file's chunk vectors and toss-up words, so that scoring it again with its book as context
        # embeds nothing new.
        self._read: dict[str, tuple[np.ndarray, str | None]] = {}

    def _prepared(self, path: Path) -> tuple[np.ndarray, str | None]:
        from adapt.formats import read_document
        from adapt.tagging.language import detect_language
        from adapt.tagging.subject import document_words
        from adapt.tagging.tagger import plain_texts

        key = str(Path(path).resolve())
        if key not in self._read:
            document, _ = read_document(Path(path), max_bytes=self.max_bytes)
            texts = plain_texts(document)
            title = document.metadata.get("title")
            chunks = self._tagger.subject.embed(_chunks(texts, title))
            # As `adapt tag` does: an English text's words may break a subject toss-up.
            language = detect_language("\n".join(texts)[:20000]).language or "en"
            self._read[key] = (chunks, document_words(texts, title) if language.startswith("en") else None)
        return self._read[key]

    def tag_files(self, paths: Sequence[Path]) -> list[list[str]]:
        out = []
        for path in paths:
            chunks, words = self._prepared(path)
            out.append([s.code for s in self._tagger.subject.rank(chunks, top_k=self.top, words=words)])
        return out

    def tag_with_books(self, paths: Sequence[Path], books: Sequence[str],
                       titles: Mapping[str, str | None]) -> list[list[str]]:
        """Each file ranked with its book as context: the chunks of every file of the same book (`books[i]`
        names file i's book) and the book's title, as `python -m evaluation.tagging_openstax` does."""
        prepared = [self._prepared(Path(p)) for p in paths]
        members: dict[str, list[int]] = {}
        for i, book in enumerate(books):
            members.setdefault(book, []).append(i)
        out: list[list[str]] = [[] for _ in paths]
        subject = self._tagger.subject
        for book, rows in members.items():
            context = np.vstack([prepared[i][0] for i in rows])
            title = titles.get(book)
            title_vector = subject.embed([title])[0] if title else None
            for i in rows:
                chunks, words = prepared[i]
                tags = subject.rank(chunks, context_vectors=context, context_title_vector=title_vector,
                                    top_k=self.top, words=words)
                out[i] = [t.code for t in tags]
        return out

    def signature(self) -> ModelSignature:
        sig = self._tagger.signatures()["subject"]
        return ModelSignature(sig["engine"], sig["model"], sig.get("version", ""),
                              {**sig["settings"], "tagger": self.name})


def _chunks(texts: Sequence[str], title: str | None) -> list[str]:
    from adapt.tagging.subject import chunk_text

    return chunk_text(texts, title=title)


def get_tagger(name: str | None = None, **options: Any) -> IscedFileTagger:
    key = name or DEFAULT_TAGGER
    if key not in TAGGERS:
        raise UserError(f"unknown tagger {key!r}", hint=f"choose one of {', '.join(sorted(TAGGERS))}")
    return IscedFileTagger(key, TAGGERS[key], **options)


__all__: list[str] = ["DEFAULT_TAGGER", "TAGGERS", "get_tagger"]
