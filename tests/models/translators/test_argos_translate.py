"""The Argos backend through argostranslate's package code and CTranslate2, with the generated model."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from adapt.errors import HostileInput, InputError, UnsupportedLanguagePair
from models.translators.argos import ArgosTranslator, install_file, installed_packages, packages_dir

from .conftest import ARGOS_MODEL

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("The cat is big.", "El gato es grande."),
        ("This is a red book.", "Esto es un libro rojo."),
        ("Where is the house?", "¿Dónde está la casa?"),
        ("I see the [2].", "Veo el [2]."),
    ],
)
def test_argos_translate_known_sentences(argos_translator, source, expected):
    assert argos_translator.translate([source], source="en", target="es") == [expected]


def test_argos_translate_batch_keeps_order_empty_and_duplicates(argos_translator):
    texts = ["The dog is small. The house is white.", "", "The cat is big.", "The cat is big.", "   "]
    out = argos_translator.translate(texts, source="en-US", target="es")
    assert out == ["El perro es pequeño. La casa es blanca.", "", "El gato es grande.", "El gato es grande.", ""]


def test_argos_lists_installed_package_and_signature(argos_data, argos_translator):
    (pkg,) = installed_packages(argos_data)
    assert (pkg.source, pkg.target, pkg.name) == ("en", "es", "translate-en_es-tiny")
    assert argos_translator.pairs() == [("en", "es")]
    sig = argos_translator.signature("en", "es").to_json()
    assert sig["engine"] == "argos" and sig["model"] == "translate-en_es-tiny" and sig["settings"]["pivot"] is None


def test_argos_unknown_pair_says_how_to_install(argos_translator):
    with pytest.raises(UnsupportedLanguagePair, match="en→de") as caught:
        argos_translator.translate(["Hello."], source="en", target="de")
    assert "adapt models install argos en de" in caught.value.hint


def test_argos_pivots_through_english(tmp_path):
    """A fake second hop is not needed: es→en is the same files relabelled, so fr→es goes fr→en→es."""
    data = tmp_path / "data"
    install_file(ARGOS_MODEL, data)
    _relabel(ARGOS_MODEL, tmp_path / "fr_en.argosmodel", "translate-fr_en-copy", "fr", "en")
    install_file(tmp_path / "fr_en.argosmodel", data)
    translator = ArgosTranslator(data_dir=data)
    assert ("fr", "es") in translator.pairs()
    assert [p.name for p in translator.route("fr", "es")] == ["translate-fr_en-copy", "translate-en_es-tiny"]
    assert translator.signature("fr", "es").settings["pivot"] == "en"
    # Two real hops through CTranslate2: the en→es model applied twice to its own Spanish output.
    out = translator.translate(["The cat is big."], source="fr", target="es")
    assert len(out) == 1 and out[0]


def test_argos_no_folders_created_until_needed(tmp_path):
    data = tmp_path / "never"
    translator = ArgosTranslator(data_dir=data)
    assert translator.pairs() == []
    assert not data.exists()


def _relabel(src: Path, dst: Path, name: str, source: str, target: str) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            rel = info.filename.split("/", 1)[1]
            if rel == "metadata.json":
                meta = json.loads(data)
                meta.update(from_code=source, to_code=target)
                data = json.dumps(meta).encode()
            zout.writestr(f"{name}/{rel}", data)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("members", "error", "match"),
    [
        ({"../evil.txt": b"x"}, HostileInput, "unsafe path"),
        ({"/abs/metadata.json": b"{}"}, HostileInput, "unsafe path"),
        ({"a/metadata.json": b"{}", "b/metadata.json": b"{}"}, InputError, "one package folder"),
        ({"p/metadata.json": b"not json"}, InputError, "metadata.json"),
        ({"p/metadata.json": b'{"type": "translate"}'}, InputError, "from_code"),
        ({"p/metadata.json": b'{"from_code": "en", "to_code": "es"}'}, InputError, "CTranslate2"),
        ({"p/metadata.json": b'{"from_code": "en", "to_code": "es"}', "p/model/model.bin": b""}, InputError,
         "SentencePiece"),
    ],
)
def test_argos_install_refuses_bad_packages(tmp_path, members, error, match):
    with pytest.raises(error, match=match):
        install_file(_zip(tmp_path / "bad.argosmodel", members), tmp_path / "data")
    assert not (packages_dir(tmp_path / "data") / "p").exists()


def test_argos_install_refuses_non_zip_and_bombs(tmp_path):
    (tmp_path / "x.argosmodel").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not an Argos package"):
        install_file(tmp_path / "x.argosmodel", tmp_path / "data")
    big = _zip(tmp_path / "big.argosmodel", {"p/metadata.json": b"{}", "p/blob": b"\0" * 2_000_000})
    with pytest.raises(HostileInput, match="unpacks to more than"):
        install_file(big, tmp_path / "data", max_unpacked_bytes=1_000_000)
