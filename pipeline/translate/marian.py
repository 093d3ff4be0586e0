"""MarianMT through Hugging Face transformers: the reference backend (opus-mt-zh-en and the tiny test models)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import ModelLoadError, UsageError
from ..glossary import Glossary
from .base import (CPU_MAX_BATCH_SENTENCES, MAX_BATCH_HYPOTHESES, MAX_BATCH_TOKENS, MAX_POSITIONS, Decoding,
                   TranslationResult, cpu_workers)
from .models import model_fingerprint


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


def batches_by_tokens(lengths: list[int], max_tokens: int = MAX_BATCH_TOKENS,
                      max_items: int | None = None) -> list[list[int]]:
    """Indices grouped into batches, longest first, so that batch size × longest length stays under the budget
    (and batch size under `max_items`)."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = lengths[current[0]] if current else lengths[i]
        full = max_items is not None and len(current) >= max_items
        if current and (full or (len(current) + 1) * max(longest, 1) > max_tokens):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def decoding_batches(lengths: list[int], max_tokens: int, beams: int,
                     max_sentences: int | None = None) -> list[list[int]]:
    """Batches for beam search: the token budget, at most MAX_BATCH_HYPOTHESES sentences × beams, and at most
    `max_sentences` sentences."""
    cap = max(1, MAX_BATCH_HYPOTHESES // beams)
    return batches_by_tokens(lengths, max_tokens, min(cap, max_sentences) if max_sentences else cap)


def run_parallel(fn, jobs: list, workers: int):
    """Yield fn(job) for each job in order, with up to `workers` jobs running at once on threads; an interrupt or
    error cancels the jobs not yet started."""
    if workers <= 1 or len(jobs) <= 1:
        yield from map(fn, jobs)
        return
    pool = ThreadPoolExecutor(workers, thread_name_prefix="decode")
    try:
        yield from pool.map(fn, jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def load_marian_tokenizer(model_dir: Path):
    """The Marian sentencepiece tokenizer of a model folder (both backends use it, so they read identical tokens)."""
    import warnings

    from transformers import MarianTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # progress bars and generation notices would drown our own progress
    hf_logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            return MarianTokenizer.from_pretrained(str(model_dir))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelLoadError(f"Cannot load the Marian tokenizer in {model_dir} ({exc}); "
                             "re-run `pipeline model pull` or pick another --model.") from exc


class MarianBackend:
    """What both backends share: the Marian tokenizer, the fingerprint, the translation memory and counters."""

    backend = ""

    def __init__(self, model_dir: Path, model_id: str = "") -> None:
        self.model_dir = Path(model_dir)
        self.model_id = model_id or str(model_dir)
        self.tokenizer = load_marian_tokenizer(self.model_dir)
        self.memory = None  # a TranslationMemory, set by load_translator
        self.glossary: Glossary | None = None  # set by load_translator
        self.model_inputs = 0
        self._fingerprint = ""

    @property
    def fingerprint(self) -> str:
        if not self._fingerprint:
            self._fingerprint = model_fingerprint(self.model_dir)
        return self._fingerprint

    @property
    def cache_hits(self) -> int | None:
        """Translation-memory hits so far (None without a memory)."""
        return self.memory.hits if self.memory is not None else None

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text).input_ids)

    def _plan_workers(self, cores: int | None) -> None:
        """Decoding workers, threads each and the batch cap for self.device: on CPU two workers, each taking a
        batch (base.MAX_CPU_WORKERS says why); a GPU runs one larger batch at a time."""
        cpu = self.device == "cpu"
        self.workers, self.threads = cpu_workers(cores) if cpu else (1, 0)
        self.max_batch_sentences = CPU_MAX_BATCH_SENTENCES if cpu else None


class TransformersTranslator(MarianBackend):
    """Batched generation with MarianMTModel; one instance holds the model for a whole run.

    The weights load on the first `translate` call, so a run answered entirely from the translation memory
    never pays for them.
    """

    backend = "transformers"

    def __init__(self, model_dir: Path, model_id: str = "", device: str = "auto", beams: int | None = None,
                 max_batch_tokens: int = MAX_BATCH_TOKENS, cores: int | None = None) -> None:
        from transformers import GenerationConfig

        super().__init__(model_dir, model_id)
        self.device = resolve_device(device)
        self._plan_workers(cores)
        try:
            generation = GenerationConfig.from_pretrained(str(self.model_dir))
        except OSError:  # no generation_config.json: transformers' defaults (greedy)
            generation = GenerationConfig()
        self.decoding = Decoding(beams=beams or generation.num_beams or 1)
        self.max_batch_tokens = max_batch_tokens
        self._model = None

    @property
    def model(self):
        """The MarianMTModel, loaded on first use."""
        if self._model is None:
            import torch
            from transformers import MarianMTModel

            if self.device == "cpu":
                torch.set_num_threads(self.threads)
            try:
                model = MarianMTModel.from_pretrained(str(self.model_dir))
            except (OSError, ValueError) as exc:
                raise ModelLoadError(f"Cannot load the Marian model in {self.model_dir} ({exc}); "
                                     "re-run `pipeline model pull` or pick another --model.") from exc
            model.eval()
            if self.device == "cuda":
                model.half()
            self._model = model.to(self.device)
        return self._model

    @property
    def max_positions(self) -> int:
        return int(getattr(self.model.config, "max_position_embeddings", MAX_POSITIONS))

    def translate(self, sources: list[str], decoding: Decoding | None = None) -> list[TranslationResult]:
        import torch

        decoding = decoding or self.decoding
        model = self.model  # loaded here, before any worker thread needs it
        results: list[TranslationResult | None] = [None] * len(sources)
        encoded = [self.tokenizer(s).input_ids for s in sources]
        pad, eos = self.tokenizer.pad_token_id, self.tokenizer.eos_token_id
        # The tokenizer is only used on this thread; worker threads run nothing but generate.
        jobs = []
        for batch in decoding_batches([len(e) for e in encoded], self.max_batch_tokens, decoding.beams,
                                      self.max_batch_sentences):
            inputs = self.tokenizer([sources[i] for i in batch], return_tensors="pt", padding=True).to(self.device)
            cap = decoding.length_cap(inputs["input_ids"].shape[1], self.max_positions)
            options = {"num_beams": decoding.beams, "max_new_tokens": cap, "num_return_sequences": 1}
            if decoding.min_new_tokens:
                options["min_new_tokens"] = min(decoding.min_new_tokens, cap)
            if decoding.no_repeat_ngram_size:
                options["no_repeat_ngram_size"] = decoding.no_repeat_ngram_size
            if decoding.repetition_penalty != 1.0:
                options["repetition_penalty"] = decoding.repetition_penalty
            jobs.append((batch, inputs, options))

        def generate(job):
            _, inputs, options = job
            with torch.inference_mode():
                return model.generate(**inputs, **options)

        for (batch, _, _), out in zip(jobs, run_parallel(generate, jobs, self.workers)):
            self.model_inputs += len(batch)
            texts = self.tokenizer.batch_decode(out, skip_special_tokens=True)
            for row, i in enumerate(batch):
                # Generated tokens, end token included: the decoder's start token is the pad token.
                tgt = int((out[row] != pad).sum().item())
                ended = bool((out[row][1:] == eos).any().item())
                results[i] = TranslationResult(texts[row].strip(), len(encoded[i]), tgt, ended=ended)
        return [r for r in results if r is not None]
