"""The translator contract every backend implements, and the shared decoding settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-zh-en"
# Output may be at most this many target tokens per source token, plus a constant: English runs ~1.3× the
# Marian token count of Chinese news; 3× + 16 leaves room for names and numbers but stops 512-token runaways.
MAX_LENGTH_RATIO = 3.0
MAX_LENGTH_SLACK = 16
# Sentences per batch are bounded by source tokens, so a batch of long sentences does not blow up memory and a
# batch of short ones is not starved (Marian's cost grows with batch × longest length).
MAX_BATCH_TOKENS = 1024


@dataclass(frozen=True)
class Decoding:
    """Decoding parameters; part of every cache key and recorded in index.json."""

    beams: int = 6
    max_length_ratio: float = MAX_LENGTH_RATIO
    max_length_slack: int = MAX_LENGTH_SLACK

    def as_dict(self) -> dict:
        return {"beams": self.beams, "max_length_ratio": self.max_length_ratio, "max_length_slack": self.max_length_slack}


@dataclass
class TranslationResult:
    text: str
    source_tokens: int
    target_tokens: int
    notes: list[str] = field(default_factory=list)


class Translator(Protocol):
    """Translates a list of model inputs (normalised Chinese) into English, one result per input, in order."""

    model_id: str
    backend: str
    decoding: Decoding

    def translate(self, sources: list[str]) -> list[TranslationResult]: ...

    def count_tokens(self, text: str) -> int: ...
