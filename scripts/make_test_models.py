"""Build the tiny real en→es translation model the tests use, offline, from nothing.

    python scripts/make_test_models.py [--out models/fixtures] [--steps 1500]

It writes
  models/fixtures/tiny-en-es/                      a transformers MarianMT folder (MarianTokenizer files)
  models/fixtures/translate-en_es-tiny.argosmodel  the same model converted to CTranslate2, as an
                                                   Argos Translate package (zip)

The model is a real ~150k-parameter MarianMT transformer trained for a minute or two on a few hundred
template sentence pairs ("The cat is big." → "El gato es grande.", "This is a red book." → "Esto es un
libro rojo.", placeholders "[1]" copied through). It only knows that tiny world, which is all the tests
need: real tokenizers, real weights, real generation through transformers, CTranslate2 and
argostranslate's package code. Everything is seeded, so a rerun gives the same translations.

Pitfalls handled (see MODELS.md):
- the CTranslate2 converter drops the LAST vocabulary entry assuming it is `<pad>`: `<pad>` goes last;
- CTranslate2 starts decoding from a zero embedding where transformers uses the `<pad>` row, so that
  row is kept at zero during training (tied output weights would otherwise move it);
- MarianTokenizer appends `</s>` to sources, so the converted config sets `add_source_eos`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (english, spanish, gender)
NOUNS = [
    ("cat", "gato", "m"), ("dog", "perro", "m"), ("house", "casa", "f"), ("book", "libro", "m"),
    ("student", "estudiante", "m"), ("teacher", "profesor", "m"), ("table", "mesa", "f"),
    ("window", "ventana", "f"), ("car", "coche", "m"), ("city", "ciudad", "f"), ("tree", "árbol", "m"),
    ("garden", "jardín", "m"), ("school", "escuela", "f"), ("computer", "ordenador", "m"),
    ("program", "programa", "m"), ("list", "lista", "f"), ("function", "función", "f"),
    ("variable", "variable", "f"), ("lesson", "lección", "f"), ("door", "puerta", "f"),
]
# (english, spanish masculine, spanish feminine)
ADJECTIVES = [
    ("big", "grande", "grande"), ("small", "pequeño", "pequeña"), ("red", "rojo", "roja"),
    ("new", "nuevo", "nueva"), ("old", "viejo", "vieja"), ("good", "bueno", "buena"),
    ("white", "blanco", "blanca"), ("long", "largo", "larga"), ("short", "corto", "corta"),
    ("simple", "simple", "simple"),
]
PLACEHOLDERS = ["[1]", "[2]", "[3]"]


def article(gender: str, definite: bool = True) -> str:
    if definite:
        return "el" if gender == "m" else "la"
    return "un" if gender == "m" else "una"


def pairs() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for (en, es, g), (aen, am, af) in itertools.product(NOUNS, ADJECTIVES):
        adj = am if g == "m" else af
        out.append((f"The {en} is {aen}.", f"{article(g).capitalize()} {es} es {adj}."))
        out.append((f"This is a {aen} {en}.", f"Esto es {article(g, False)} {es} {adj}."))
    for en, es, g in NOUNS:
        out.append((f"I see the {en}.", f"Veo {article(g)} {es}."))
        out.append((f"Where is the {en}?", f"¿Dónde está {article(g)} {es}?"))
    for ph, (aen, am, _af) in itertools.product(PLACEHOLDERS, ADJECTIVES):
        out.append((f"The {ph} is {aen}.", f"El {ph} es {am}."))
    for ph in PLACEHOLDERS:
        out.append((f"I see the {ph}.", f"Veo el {ph}."))
    return out


def train_sentencepiece(texts: list[str], folder: Path, vocab_size: int) -> Path:
    import sentencepiece as spm

    corpus = folder / "corpus.txt"
    corpus.write_text("\n".join(texts) + "\n", encoding="utf-8")
    prefix = folder / "spm"
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), vocab_size=vocab_size, model_type="unigram",
        character_coverage=1.0, unk_id=0, bos_id=-1, eos_id=1, pad_id=-1, num_threads=1,
        user_defined_symbols=PLACEHOLDERS, minloglevel=2, seed_sentencepiece_size=100000,
        hard_vocab_limit=False,
        normalization_rule_name="identity",  # keeps the .model a few kB (no NFKC tables)
    )
    return prefix.with_suffix(".model")


def build_vocab(spm_path: Path) -> dict[str, int]:
    """`</s>` 0, `<unk>` 1, the pieces, `<pad>` LAST (the CTranslate2 converter drops the last entry)."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    vocab = {"</s>": 0, "<unk>": 1}
    for i in range(sp.get_piece_size()):
        piece = sp.id_to_piece(i)
        if piece not in vocab:
            vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    return vocab


def train_marian(folder: Path, data: list[tuple[str, str]], steps: int, seed: int) -> Path:
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    torch.manual_seed(seed)
    random.seed(seed)
    tok = MarianTokenizer(str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"),
                          source_lang="en", target_lang="es")
    vocab_size = len(tok.encoder)
    pad = tok.pad_token_id
    assert pad == vocab_size - 1, "pad must be the last vocabulary entry"
    config = MarianConfig(
        vocab_size=vocab_size, decoder_vocab_size=vocab_size, d_model=64, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=128, decoder_ffn_dim=128,
        max_position_embeddings=512, pad_token_id=pad, eos_token_id=tok.eos_token_id, decoder_start_token_id=pad,
        forced_eos_token_id=tok.eos_token_id, scale_embedding=True, share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True, dropout=0.0, attention_dropout=0.0, activation_dropout=0.0,
        activation_function="swish", static_position_embeddings=True,
    )
    model = MarianMTModel(config)
    emb = model.get_input_embeddings()
    with torch.no_grad():
        emb.weight[pad].zero_()
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=steps, pct_start=0.1)
    batch_size = 32
    model.train()
    started = time.time()
    order: list[int] = []
    for step in range(steps):
        if len(order) < batch_size:
            order = list(range(len(data)))
            random.shuffle(order)
        batch = [data[order.pop()] for _ in range(batch_size)]
        enc = tok([s for s, _ in batch], text_target=[t for _, t in batch], return_tensors="pt", padding=True)
        labels = enc["labels"].masked_fill(enc["labels"] == pad, -100)
        loss = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], labels=labels).loss
        optimiser.zero_grad()
        loss.backward()
        emb.weight.grad[pad].zero_()
        optimiser.step()
        schedule.step()
        with torch.no_grad():
            emb.weight[pad].zero_()  # CTranslate2 decodes from a zero embedding: keep this row at zero
        if step % 250 == 0 or step == steps - 1:
            print(f"  step {step:5d}  loss {loss.item():.4f}  ({time.time() - started:.0f} s)", flush=True)
    model.eval()
    model.generation_config = GenerationConfig(
        num_beams=1, decoder_start_token_id=pad, eos_token_id=tok.eos_token_id, pad_token_id=pad,
        bad_words_ids=[[pad]], forced_eos_token_id=tok.eos_token_id,
    )
    out = folder / "hf"
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


def convert_to_argos(hf_folder: Path, spm_path: Path, work: Path, out_file: Path) -> None:
    ct2_dir = work / "ct2"
    subprocess.run(
        [sys.executable, "-m", "ctranslate2.converters.transformers", "--model", str(hf_folder),
         "--output_dir", str(ct2_dir), "--quantization", "int8", "--force"],
        check=True,
    )
    config_path = ct2_dir / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["add_source_eos"] = True  # MarianTokenizer appended </s> to every training source
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    name = "translate-en_es-tiny"
    metadata = {
        "package_version": "0.1", "argos_version": "1.9", "from_code": "en", "from_name": "English",
        "to_code": "es", "to_name": "Spanish", "type": "translate",
        "description": "OER Adapt test model: a tiny MarianMT trained on template sentences. Not for real use.",
        "license": "Apache-2.0",
    }
    readme = ("# OER Adapt tiny en→es test model\n\nGenerated by scripts/make_test_models.py; it only knows "
              "a few hundred template sentences. For tests, never for real translation.\n")
    out_file.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_file, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{name}/metadata.json", json.dumps(metadata, indent=2))
        z.writestr(f"{name}/README.md", readme)
        z.write(spm_path, f"{name}/sentencepiece.model")
        for path in sorted(ct2_dir.rglob("*")):
            if path.is_file():
                z.write(path, f"{name}/model/{path.relative_to(ct2_dir).as_posix()}")


def check(hf_folder: Path, data: list[tuple[str, str]]) -> float:
    """Greedy-translate every training source with transformers; the share translated exactly."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tok = MarianTokenizer.from_pretrained(hf_folder)
    model = MarianMTModel.from_pretrained(hf_folder).eval()
    right = 0
    for start in range(0, len(data), 64):
        chunk = data[start : start + 64]
        enc = tok([s for s, _ in chunk], return_tensors="pt", padding=True)
        with torch.no_grad():
            out = model.generate(**enc, num_beams=1)
        for (_, want), got in zip(chunk, tok.batch_decode(out, skip_special_tokens=True)):
            right += got == want
    return right / len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "models" / "fixtures")
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--vocab-size", type=int, default=160)
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)  # the machines are shared: one thread trains fastest under load
    data = pairs()
    print(f"{len(data)} sentence pairs")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        spm_path = train_sentencepiece([s for pair in data for s in pair], work, args.vocab_size)
        shutil.copy(spm_path, work / "source.spm")
        shutil.copy(spm_path, work / "target.spm")
        (work / "vocab.json").write_text(json.dumps(build_vocab(spm_path), ensure_ascii=False, indent=0),
                                         encoding="utf-8")
        hf = train_marian(work, data, args.steps, args.seed)
        accuracy = check(hf, data)
        print(f"exact translations of the training sentences (transformers, greedy): {accuracy:.1%}")
        if accuracy < 0.95:
            raise SystemExit("the model did not learn its sentences: train longer (--steps)")
        target_hf = args.out / "tiny-en-es"
        if target_hf.exists():
            shutil.rmtree(target_hf)
        shutil.copytree(hf, target_hf)
        convert_to_argos(hf, spm_path, work, args.out / "translate-en_es-tiny.argosmodel")
    total = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {target_hf} and {args.out / 'translate-en_es-tiny.argosmodel'} ({total / 1e6:.2f} MB in all)")


if __name__ == "__main__":
    main()
