"""Settings: one frozen table of defaults, each bound to an environment variable, loaded once."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

# Offline by default (ARCHITECTURE.md invariant 5): set before any Hugging Face library is imported.
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_environment(environ: dict[str, str] | None = None) -> None:
    """Called by entry points (CLI, app, tests), never at import time."""
    target = os.environ if environ is None else environ
    for name, value in OFFLINE_ENVIRONMENT.items():
        target.setdefault(name, value)


DATABASE_URL_SCHEMES = ("postgresql://", "postgres://")


def database_location(value: str | Path) -> Path | str:
    """A --db / ADAPT_DB value: a postgresql:// URL stays a string, anything else is a SQLite path."""
    text = str(value)
    return text if text.startswith(DATABASE_URL_SCHEMES) else Path(text)


@dataclass(frozen=True)
class Settings:
    db_path: Path | str = field(
        default=Path("adapt.db"),
        metadata={"env": "ADAPT_DB", "help": "SQLite database file, or a postgresql:// URL (the scale extra)"},
    )
    max_file_bytes: int = field(
        default=50 * 1024 * 1024,
        metadata={"env": "ADAPT_MAX_FILE_BYTES", "help": "largest input file accepted, in bytes"},
    )
    max_unpacked_bytes: int = field(
        default=500 * 1024 * 1024,
        metadata={"env": "ADAPT_MAX_UNPACKED_BYTES", "help": "largest total size a zip may unpack to"},
    )
    # Input limits (adapt/limits.py): a file over one is refused with exit 1, nothing stored.
    max_segment_chars: int = field(
        default=20_000, metadata={"env": "ADAPT_MAX_SEGMENT_CHARS", "help": "longest segment (characters)"}
    )
    max_depth: int = field(
        default=256, metadata={"env": "ADAPT_MAX_DEPTH", "help": "deepest nesting of elements (HTML, XML)"}
    )
    max_segments: int = field(
        default=50_000, metadata={"env": "ADAPT_MAX_SEGMENTS", "help": "most segments in one resource"}
    )
    max_inline: int = field(
        default=1_000,
        metadata={"env": "ADAPT_MAX_INLINE", "help": "most inline elements (placeholders) in one segment"},
    )
    max_attribute_chars: int = field(
        default=1_048_576, metadata={"env": "ADAPT_MAX_ATTRIBUTE_CHARS", "help": "longest attribute value (characters)"}
    )
    cache_dir: Path = field(
        default=Path.home() / ".cache" / "oer-adapt",
        metadata={"env": "ADAPT_CACHE_DIR", "help": "converted models and other derived files"},
    )
    data_dir: Path = field(
        default=Path.home() / ".local" / "share" / "oer-adapt",
        metadata={"env": "ADAPT_DATA_DIR", "help": "installed model packages"},
    )
    default_engine: str = field(
        default="auto", metadata={"env": "ADAPT_ENGINE", "help": "translation engine used when none is named "
                                  "(auto: the best measured route over the installed engines)"}
    )
    argos_index_url: str = field(
        default="https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json",
        metadata={"env": "ADAPT_ARGOS_INDEX", "help": "the Argos package index `adapt models install argos FROM TO` "
                  "reads (a mirror's index.json)"},
    )
    user: str = field(default="", metadata={"env": "ADAPT_USER", "help": "who the CLI records as the reviewer"})
    index_dir: Path | None = field(
        default=None,
        metadata={"env": "ADAPT_INDEX_DIR",
                  "help": "vector index folder (default: beside a SQLite file; under ADAPT_DATA_DIR for PostgreSQL)"},
    )
    llm_threads: int = field(
        default=0,
        metadata={"env": "ADAPT_LLM_THREADS", "help": "torch threads for the LLM simplifier (0: torch's default)"},
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = f.metadata.get("env")
            if name and env.get(name):
                raw = env[name]
                if f.name == "db_path":
                    values[f.name] = database_location(raw)
                elif f.type in ("Path", Path, "Path | None"):
                    values[f.name] = Path(raw)
                else:
                    values[f.name] = int(raw) if f.type in ("int", int) else raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    def index_folder(self) -> Path | None:
        """Where the derived vector index lives: None for an in-memory database."""
        if self.index_dir is not None:
            return self.index_dir
        if str(self.db_path) == ":memory:":
            return None
        if isinstance(self.db_path, str) and self.db_path.startswith(DATABASE_URL_SCHEMES):
            # One folder per database, named by the URL without its password.
            from adapt.store.postgres import redact

            digest = hashlib.sha256(redact(self.db_path).encode()).hexdigest()[:16]
            return self.data_dir / "index" / f"postgresql-{digest}"
        return Path(f"{self.db_path}.index")

    def actor(self) -> str:
        if self.user:
            return self.user
        try:
            import getpass

            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name in some containers
            return "unknown"
