"""WordNet 3.0 from Debian's `wordnet-base` (/usr/share/wordnet), read through NLTK, offline.

NLTK refuses to read outside its data folders and needs a `lexnames` file Debian ships only as a man
page, so the database files are copied once into `<cache>/nltk_data/corpora/wordnet/` with a
`lexnames` written from the table below (wndb(5WN) / lexnames(5WN)), and that folder is added to
NLTK's search path when WordNet is first loaded (never at import).
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

from adapt.errors import MissingModel

WORDNET_DIRS = (Path("/usr/share/wordnet"),)
INSTALL_HINT = ("install Debian's wordnet-base (apt-get install wordnet-base) "
                "or set OER_WORDNET_DIR to a WordNet 3.0 dict folder")
_FILES = ("adj.exc", "adv.exc", "noun.exc", "verb.exc", "cntlist.rev", "data.adj", "data.adv", "data.noun",
          "data.verb", "index.adj", "index.adv", "index.noun", "index.verb")
# lexnames(5WN): file number, name; the third column (syntactic category) follows from the name.
_LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
    "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location noun.motive "
    "noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process noun.quantity "
    "noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change verb.cognition "
    "verb.communication verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
_CATEGORY = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}
_loaded: dict[Path, Any] = {}
_lock = threading.Lock()


def find_wordnet_dir() -> Path | None:
    """The WordNet dict folder to read, or None when none is installed."""
    candidates = [Path(os.environ["OER_WORDNET_DIR"])] if os.environ.get("OER_WORDNET_DIR") else []
    for folder in [*candidates, *WORDNET_DIRS]:
        if all((folder / name).is_file() for name in ("data.noun", "index.noun", "verb.exc")):
            return folder
    return None


def wordnet_available() -> bool:
    return find_wordnet_dir() is not None


def lexnames_text() -> str:
    return "".join(f"{i:02d}\t{name}\t{_CATEGORY[name.split('.')[0]]}\n" for i, name in enumerate(_LEXNAMES))


def _prepare(source: Path, cache_dir: Path) -> Path:
    root = cache_dir / "nltk_data"
    target = root / "corpora" / "wordnet"
    marker = target / ".complete"
    if not marker.is_file():
        target.mkdir(parents=True, exist_ok=True)
        for name in _FILES:
            if (source / name).is_file():
                shutil.copyfile(source / name, target / name)
        (target / "lexnames").write_text(lexnames_text(), encoding="utf-8")
        marker.write_text(str(source), encoding="utf-8")
    return root


def load_wordnet(cache_dir: Path | None = None) -> Any:
    """An NLTK WordNetCorpusReader over the installed WordNet 3.0 (loaded once per process)."""
    source = find_wordnet_dir()
    if source is None:
        raise MissingModel("the lexical simplifier needs WordNet 3.0", hint=INSTALL_HINT)
    if cache_dir is None:
        from adapt.settings import Settings

        cache_dir = Settings.from_env().cache_dir
    with _lock:
        if source not in _loaded:
            import nltk
            from nltk.corpus.reader.wordnet import WordNetCorpusReader
            from nltk.data import FileSystemPathPointer

            root = _prepare(source, Path(cache_dir))
            if str(root) not in nltk.data.path:
                nltk.data.path.insert(0, str(root))

            class _Reader(WordNetCorpusReader):
                # The mapping to other WordNet versions is for the multilingual data (OMW), which we do not
                # use; it would look for an `index.sense` Debian does not ship.
                def map_wn(self, version: str = "wordnet") -> None:
                    return None

            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "multilingual functions are not available": expected
                _loaded[source] = _Reader(FileSystemPathPointer(str(root / "corpora" / "wordnet")), None)
        return _loaded[source]
