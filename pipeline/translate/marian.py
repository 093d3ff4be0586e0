"""MarianMT through Hugging Face transformers: the reference backend (opus-mt-zh-en and the tiny test models)."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ModelLoadError, UsageError
from .base import MAX_BATCH_TOKENS, Decoding, TranslationResult


def resolve_device(device: str) -> str:
    """`auto` → cuda when a GPU is visible, else cpu."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda was asked for but torch sees no CUDA GPU; use --device cpu or auto.")
    if device not in ("cpu", "cuda"):
        raise UsageError(f"Unknown device {device!r}: use auto, cpu or cuda.")
    return device


def batches_by_tokens(lengths: list[int], max_tokens: int = MAX_BATCH_TOKENS) -> list[list[int]]:
    """Indices grouped into batches, longest first, so that batch size × longest length stays under the budget."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = lengths[current[0]] if current else lengths[i]
        if current and (len(current) + 1) * max(longest, 1) > max_tokens:
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


class TransformersTranslator:
    """Batched generation with MarianMTModel; one instance holds the model for a whole run."""

    backend = "transformers"

    def __init__(self, model_dir: Path, model_id: str = "", device: str = "auto", beams: int | None = None,
                 max_batch_tokens: int = MAX_BATCH_TOKENS) -> None:
        import torch
        from transformers import MarianMTModel, MarianTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # progress bars and generation notices would drown our own progress
        hf_logging.disable_progress_bar()

        self.device = resolve_device(device)
        if self.device == "cpu":
            torch.set_num_threads(os.cpu_count() or 1)
        try:
            self.tokenizer = MarianTokenizer.from_pretrained(str(model_dir))
            self.model = MarianMTModel.from_pretrained(str(model_dir))
        except (OSError, ValueError) as exc:
            raise ModelLoadError(f"Cannot load the Marian model in {model_dir} ({exc}); "
                                 "re-run `pipeline model pull` or pick another --model.") from exc
        self.model.eval()
        if self.device == "cuda":
            self.model.half()
        self.model.to(self.device)
        default_beams = getattr(self.model.generation_config, "num_beams", None) or 1
        self.decoding = Decoding(beams=beams or default_beams)
        self.model_id = model_id or str(model_dir)
        self.model_dir = Path(model_dir)
        self.max_batch_tokens = max_batch_tokens

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text).input_ids)

    def translate(self, sources: list[str]) -> list[TranslationResult]:
        import torch

        results: list[TranslationResult | None] = [None] * len(sources)
        encoded = [self.tokenizer(s).input_ids for s in sources]
        for batch in batches_by_tokens([len(e) for e in encoded], self.max_batch_tokens):
            inputs = self.tokenizer([sources[i] for i in batch], return_tensors="pt", padding=True).to(self.device)
            longest = inputs["input_ids"].shape[1]
            max_new = int(longest * self.decoding.max_length_ratio) + self.decoding.max_length_slack
            with torch.inference_mode():
                out = self.model.generate(**inputs, num_beams=self.decoding.beams, max_new_tokens=max_new,
                                          num_return_sequences=1)
            texts = self.tokenizer.batch_decode(out, skip_special_tokens=True)
            for row, i in enumerate(batch):
                tgt = int((out[row] != self.tokenizer.pad_token_id).sum().item())
                results[i] = TranslationResult(texts[row].strip(), len(encoded[i]), tgt)
        return [r for r in results if r is not None]
