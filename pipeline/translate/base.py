"""The translator contract every backend implements, and the shared decoding settings."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..glossary import Glossary
    from .cache import TranslationMemory

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
# two batches (run.PROGRESS_SLICE = 32 inputs, CPU_MAX_BATCH_SENTENCES = 16): a third worker would idle. Further
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

    def as_dict(self) -> dict:
        return asdict(self)

    def with_(self, **changes) -> Decoding:
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


class Translator(Protocol):
    """Translates a list of model inputs (normalised Chinese) into English, one result per input, in order."""

    model_id: str
    backend: str
    decoding: Decoding
    # Identifies the exact weights, tokenizers and config (a cache-key part); computed on first use.
    fingerprint: str
    # The translation memory consulted by translate_page, or None for no cache.
    memory: TranslationMemory | None
    # The user's glossary (`--glossary`), used around the model by translate_page; None without one.
    glossary: Glossary | None
    # How many inputs this instance has sent to the model so far (cache hits are not counted).
    model_inputs: int

    def translate(self, sources: list[str], decoding: Decoding | None = None) -> list[TranslationResult]: ...

    def count_tokens(self, text: str) -> int: ...


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
