"""The generated tiny en→es model (models/fixtures), installed once per session into a temp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[3] / "models" / "fixtures"
ARGOS_MODEL = FIXTURES / "translate-en_es-tiny.argosmodel"
HF_MODEL = FIXTURES / "tiny-en-es"


@pytest.fixture(scope="session")
def argos_data(tmp_path_factory) -> Path:
    from models.translators.argos import install_file

    data_dir = tmp_path_factory.mktemp("argos-data")
    install_file(ARGOS_MODEL, data_dir)
    return data_dir


@pytest.fixture(scope="session")
def argos_translator(argos_data):
    from models.translators.argos import ArgosTranslator

    return ArgosTranslator(data_dir=argos_data)


@pytest.fixture(scope="session")
def hf_translator():
    from models.translators.hf import TransformersTranslator

    return TransformersTranslator(HF_MODEL, batch_size=8)
