"""Any Marian, M2M100 or NLLB-style seq2seq model from a local folder, through transformers.

Loading is explicit and offline: `local_files_only=True`, `trust_remote_code=False`. A model id
(`Helsinki-NLP/opus-mt-en-es`) is accepted only if it is already in the local Hugging Face cache.
Texts are split into sentences, deduplicated, sorted by length and generated in batches on CPU, or
on CUDA when torch sees a GPU.

Which languages a folder translates:
- Marian: the tokenizer's `source_lang`/`target_lang`, else an `opus-mt-XX-YY` style folder name;
  a Marian folder that says neither is taken at its word for any pair (the signature says so);
- M2M100: its language tokens (`__en__`), the target chosen by forcing the first token;
- NLLB: its FLORES codes (`eng_Latn`), mapped from the ISO 639-1 codes used here.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from adapt.errors import MissingModel, UnsupportedLanguagePair
from models.sentences import join_sentences, split_sentences
from models.signature import ModelSignature, package_version
from models.translators.base import normalise_language

# ISO 639-1 → FLORES-200 codes for NLLB (the languages OER work asks for most; extend as needed).
NLLB_CODES = {
    "ar": "arb_Arab", "bn": "ben_Beng", "ca": "cat_Latn", "cs": "ces_Latn", "de": "deu_Latn", "el": "ell_Grek",
    "en": "eng_Latn", "es": "spa_Latn", "fa": "pes_Arab", "fi": "fin_Latn", "fr": "fra_Latn", "he": "heb_Hebr",
    "hi": "hin_Deva", "hu": "hun_Latn", "id": "ind_Latn", "it": "ita_Latn", "ja": "jpn_Jpan", "ko": "kor_Hang",
    "nl": "nld_Latn", "pl": "pol_Latn", "pt": "por_Latn", "ro": "ron_Latn", "ru": "rus_Cyrl", "sv": "swe_Latn",
    "sw": "swh_Latn", "tr": "tur_Latn", "uk": "ukr_Cyrl", "ur": "urd_Arab", "vi": "vie_Latn", "zh": "zho_Hans",
}
_OPUS_NAME = re.compile(r"opus-mt-([a-z]{2,3})-([a-z]{2,3})(?:$|[^a-z])")


class TransformersTranslator:
    name = "transformers"

    def __init__(
        self,
        model: str | Path,
        *,
        device: str | None = None,
        batch_size: int = 16,
        num_beams: int = 4,
        max_new_tokens: int = 256,
    ) -> None:
        if not model:
            raise MissingModel("the transformers engine needs a model", hint="pass --model PATH_OR_ID")
        self.model_ref = str(model)
        self.batch_size = batch_size
        self.num_beams = num_beams
        self.max_new_tokens = max_new_tokens
        self._device = device
        self._lock = threading.RLock()
        self._model: Any = None
        self._tokenizer: Any = None
        self._kind = ""

    # loading --------------------------------------------------------------------------------------
    def _load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            try:
                import torch
                from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer
            except ImportError:
                raise MissingModel("the transformers engine needs torch and transformers",
                                   hint="pip install torch transformers sentencepiece") from None
            ref = self.model_ref
            if Path(ref).expanduser().exists():
                ref = str(Path(ref).expanduser())
            try:
                config = AutoConfig.from_pretrained(ref, local_files_only=True, trust_remote_code=False)
                tokenizer = AutoTokenizer.from_pretrained(ref, local_files_only=True, trust_remote_code=False)
                model = AutoModelForSeq2SeqLM.from_pretrained(ref, local_files_only=True, trust_remote_code=False)
            except (OSError, ValueError) as exc:
                raise MissingModel(
                    f"cannot load the seq2seq model {self.model_ref!r} from local files ({exc})",
                    hint="give the folder of a downloaded model (see `adapt models list` for how to get one)",
                ) from None
            if not getattr(config, "is_encoder_decoder", False):
                raise MissingModel(f"{self.model_ref} is not an encoder-decoder translation model",
                                   hint="use a Marian, M2M100 or NLLB model")
            device = self._device or ("cuda" if torch.cuda.is_available() else "cpu")
            self._device = device
            self._model = model.to(device).eval()
            self._tokenizer = tokenizer
            self._kind = config.model_type  # marian, m2m_100, ...

    @property
    def device(self) -> str:
        self._load()
        return str(self._device)

    # languages ------------------------------------------------------------------------------------
    def _languages(self) -> tuple[list[str], list[str]] | None:
        """(sources, targets) the model knows, or None when a Marian folder does not say."""
        self._load()
        tok = self._tokenizer
        if self._kind == "marian":
            src, tgt = getattr(tok, "source_lang", None), getattr(tok, "target_lang", None)
            if src and tgt:
                return [normalise_language(src)], [normalise_language(tgt)]
            match = _OPUS_NAME.search(Path(self.model_ref).name.lower())
            return ([match.group(1)], [match.group(2)]) if match else None
        if self._kind == "m2m_100":
            codes = sorted({normalise_language(c) for c in getattr(tok, "lang_code_to_id", {})})
            return codes, codes
        vocab = tok.get_vocab()
        codes = sorted(iso for iso, flores in NLLB_CODES.items() if flores in vocab)
        return codes, codes

    def pairs(self) -> list[tuple[str, str]]:
        langs = self._languages()
        if langs is None:
            return []
        return sorted((s, t) for s in langs[0] for t in langs[1] if s != t)

    def supports(self, source: str, target: str) -> bool:
        if self._languages() is None:
            return True  # a Marian folder that does not name its languages: the user picked it for this pair
        return (normalise_language(source), normalise_language(target)) in set(self.pairs())

    def _generation_options(self, source: str, target: str) -> dict[str, Any]:
        tok = self._tokenizer
        src, tgt = normalise_language(source), normalise_language(target)
        if not self.supports(src, tgt):
            have = ", ".join(f"{a}→{b}" for a, b in self.pairs()[:12])
            raise UnsupportedLanguagePair(f"{self.model_ref} cannot translate {src}→{tgt} (it has {have})",
                                          hint="choose another --model")
        if self._kind == "m2m_100":
            tok.src_lang = src
            return {"forced_bos_token_id": tok.get_lang_id(tgt)}
        if self._kind == "marian":
            return {}
        tok.src_lang = NLLB_CODES[src]
        return {"forced_bos_token_id": tok.convert_tokens_to_ids(NLLB_CODES[tgt])}

    # translating ----------------------------------------------------------------------------------
    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        self._load()
        split = [split_sentences(t) if t.strip() else [] for t in texts]
        sentences = list(dict.fromkeys(s for parts in split for s in parts))
        done = dict(zip(sentences, self.translate_sentences(sentences, source=source, target=target)))
        return [join_sentences([done[s] for s in parts]) for parts in split]

    def translate_sentences(self, sentences: Sequence[str], *, source: str, target: str) -> list[str]:
        import torch

        self._load()
        with self._lock:  # the tokenizer's src_lang is state: one batch at a time per model
            options = self._generation_options(source, target)
            order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
            out: list[str] = [""] * len(sentences)
            for start in range(0, len(order), self.batch_size):
                chunk = order[start : start + self.batch_size]
                enc = self._tokenizer([sentences[i] for i in chunk], return_tensors="pt", padding=True,
                                      truncation=True, max_length=512).to(self._device)
                with torch.inference_mode():
                    generated = self._model.generate(**enc, num_beams=self.num_beams,
                                                     max_new_tokens=self.max_new_tokens, **options)
                decoded = self._tokenizer.batch_decode(generated, skip_special_tokens=True)
                for i, text in zip(chunk, decoded):
                    out[i] = text.strip()
            return out

    def signature(self, source: str, target: str) -> ModelSignature:
        self._load()
        name = getattr(self._model.config, "_name_or_path", "") or self.model_ref
        return ModelSignature(
            engine=self.name,
            model=str(name),
            version=f"transformers-{package_version('transformers')}",
            settings={"num_beams": self.num_beams, "device": self._device, "architecture": self._kind,
                      "sentence_split": "adapt-rules-v1",
                      "languages": "declared" if self._languages() is not None else "unverified"},
        )
