"""The translator contract every backend implements, and the shared decoding settings."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable

from ..errors import UsageError
from ..options import Device

if TYPE_CHECKING:
    from ..glossary import Glossary

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-zh-en"
# Output may be at most this many target tokens per source token, plus a constant: English runs ~1.3× the
# Marian token count of Chinese news; 3× + 16 leaves room for names and numbers but stops 512-token runaways.
MAX_LENGTH_RATIO = 3.0
MAX_LENGTH_SLACK = 16
# Sentences per batch are bounded by source tokens, so a batch of long sentences does not blow up memory and a
# batch of short ones is not starved (Marian's cost grows with batch × longest length).
MAX_BATCH_TOKENS = 1024
# Hypotheses per batch (sentences × beams) are bounded too: each carries a 65,001-wide row of logits per step. With
# the token budget alone, batches of ~100 short sentences at 6 beams took the benchmark's process to 2,048 MiB peak
# RSS against 1,439 MiB for batches of 16, and ran slower. At beam 6, 16 sentences per batch ran 2.29 sentences/s
# against 2.13 for 42 (two fresh processes each, 200 sentences; bench/RESULTS.md). 96 = 16 × 6 beams, which at beam 1
# leaves the token budget in charge for any sentence over 10 tokens.
MAX_BATCH_HYPOTHESES = 96
# On CPU, decoding runs as parallel workers, each decoding its own batch, rather than one batch spread over every
# core: beam search has serial stretches (top-k, reordering the beams, the Python of transformers' generate loop)
# in which intra-op threads wait. On the 2-core development machine, 200 sentences at beam 6 (bench/RESULTS.md):
# CTranslate2 8.3-9.1 sentences/s with 2 one-thread workers against 6.9-7.1 with one 2-thread worker; transformers
# 3.26-3.34 against 2.76-3.14, at 0.57 CPU s per sentence against 0.64-0.72. Two workers, because a call brings
# two batches (translate.batches.PROGRESS_SLICE = 32 inputs, CPU_MAX_BATCH_SENTENCES = 16): a third worker would idle. Further
# cores become intra-op threads of the two.
MAX_CPU_WORKERS = 2
# On CPU, at most 16 sentences per batch at any beam width: a progress slice of 32 inputs is then two batches, one
# per worker. The batches depend only on the sentences, never on the number of cores, so every machine and every
# Ray actor (whatever its share of a node) decodes the same batches and writes the same English: padding changes
# the numbers a little, and with them an uncertain translation.
CPU_MAX_BATCH_SENTENCES = 16
# Marian's learned/sinusoidal position table has 512 rows (opus-mt-zh-en's max_position_embeddings): neither side
# may run past it, whatever the length ratio says.
MAX_POSITIONS = 512


@dataclass(frozen=True)
class Decoding:
    """Decoding parameters; part of every cache key and recorded in index.json."""

    beams: int = 6
    max_length_ratio: float = MAX_LENGTH_RATIO
    max_length_slack: int = MAX_LENGTH_SLACK
    # Used by the repetition guard's retry (0 / 1.0 = off).
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    # Used by the empty-output retry and by the benchmark, which forces every engine to equal output lengths.
    min_new_tokens: int = 0
    max_new_tokens: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_(self, **changes: Any) -> Decoding:
        return replace(self, **changes)

    def length_cap(self, source_tokens: int, max_positions: int = MAX_POSITIONS) -> int:
        """Most target tokens (end token included) to generate for a source of this many tokens."""
        cap = int(source_tokens * self.max_length_ratio) + self.max_length_slack
        if self.max_new_tokens is not None:
            cap = self.max_new_tokens
        return max(1, min(cap, max_positions - 1))


@dataclass
class TranslationResult:
    text: str
    source_tokens: int
    target_tokens: int
    # Quality notes from the guards (`repetition`, `empty`, `retried`); they become sentence flags.
    notes: list[str] = field(default_factory=list)
    # Whether the model emitted its end token (False: cut off at the length cap).
    ended: bool = True


class Translator(ABC):
    """Translates a list of model inputs (normalised Chinese) into English, one result per input, in order.

    Both backends (`marian.TransformersTranslator`, `ct2.CTranslate2Translator`) and the translation memory's
    wrapper (`cache.CachedTranslator`) are Translators; `translate_page` needs nothing else.
    """

    model_id: str
    backend: str
    decoding: Decoding
    device: str  # resolved: cpu or cuda
    # How many inputs this instance has sent to the model so far (cache hits and retries included in the latter).
    model_inputs: int
    # The CTranslate2 copy decoding (path, quantization, compute type), recorded in index.json `model`; None else.
    converted: dict[str, Any] | None = None
    # The user's glossary (`--glossary`), used around the model by translate_page; set by load_translator, None
    # without one. A CachedTranslator passes its inner translator's through.
    glossary: Glossary | None = None

    @property
    @abstractmethod
    def fingerprint(self) -> str:
        """Identifies the exact weights, tokenizers and config (a cache-key part)."""

    @abstractmethod
    def translate(self, sources: list[str], decoding: Decoding | None = None) -> list[TranslationResult]:
        """The model's answer for each source, with `decoding` (default: self.decoding); no guards."""

    @abstractmethod
    def count_tokens(self, text: str) -> int: ...

    @property
    def cache_hits(self) -> int | None:
        """Translation-memory hits so far; None for a translator without a memory."""
        return None

    def translate_texts(self, sources: list[str], plan: BatchPlan | None = None,
                        on_progress: Progress | None = None) -> tuple[list[TranslationResult], int]:
        """Guarded results for distinct model inputs (retried once where looping or empty), and how many of them
        went to the model (all, here; a translation memory answers some). With a `plan`, the model is called
        in the plan's slices, and `on_progress` hears after each how many inputs it translated."""
        from .guards import translate_checked

        target = self if plan is None else _Sliced(self, plan, on_progress)
        return translate_checked(target, sources), len(sources)


Progress = Callable[[int], None]
# Model inputs handed to the translator per call. It decides the model's batches, and so the English: on a CPU 32
# inputs are two batches (CPU_MAX_BATCH_SENTENCES), one per decoding worker; a GPU is given more to keep its
# batches full. It also lets progress move during a long page.
PROGRESS_SLICE = {"cpu": 32, "cuda": 256}


@dataclass(frozen=True)
class BatchPlan:
    """How `translate_page` feeds the model: `inputs_per_call` model inputs per `translate` call. Every engine
    uses `BatchPlan.for_device`, so every engine decodes the same batches and writes the same English."""

    inputs_per_call: int

    @classmethod
    def for_device(cls, device: str) -> BatchPlan:
        return cls(PROGRESS_SLICE.get(str(device), PROGRESS_SLICE["cpu"]))


class _Sliced(Translator):
    """A translator fed in the plan's slices, reporting after each."""

    def __init__(self, inner: Translator, plan: BatchPlan, on_progress: Progress | None) -> None:
        self.inner = inner
        self.plan = plan
        self.on_progress = on_progress
        self.model_id, self.backend, self.device = inner.model_id, inner.backend, inner.device
        self.decoding = inner.decoding
        self.model_inputs = 0

    @property
    def fingerprint(self) -> str:
        return self.inner.fingerprint

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def translate(self, sources: list[str], decoding: Decoding | None = None) -> list[TranslationResult]:
        step = self.plan.inputs_per_call
        results: list[TranslationResult] = []
        for i in range(0, len(sources), step):
            results.extend(self.inner.translate(sources[i : i + step], decoding))
            if self.on_progress is not None:
                self.on_progress(min(step, len(sources) - i))
        return results


def resolve_device(device: str, cuda_available: Callable[[], bool], who: str) -> str:
    """`auto` → cuda when `cuda_available()`, else cpu; `cuda` without a GPU is a usage error naming `who` (the
    library that looked: torch, CTranslate2)."""
    choice = Device(device) if device in Device._value2member_map_ else None
    if choice is None:
        raise UsageError(f"device {device!r} is unknown: use auto, cpu or cuda.", option="device")
    if choice is Device.AUTO:
        return Device.CUDA.value if cuda_available() else Device.CPU.value
    if choice is Device.CUDA and not cuda_available():
        raise UsageError(f"device cuda was asked for but {who} sees no CUDA GPU; use cpu or auto.", option="device")
    return str(choice.value)


def cpu_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's), for one intra-op thread per core."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS and Windows have no affinity API
        return os.cpu_count() or 1


def cpu_workers(cores: int | None = None) -> tuple[int, int]:
    """(parallel decoding workers, intra-op threads each) for `cores` CPU cores (default: all this process has)."""
    cores = max(1, cores or cpu_cores())
    workers = min(MAX_CPU_WORKERS, cores)
    return workers, -(-cores // workers)  # an odd core count rounds up: one thread too many beats a core idle
