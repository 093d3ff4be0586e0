"""The closed choices of the command line, as enums that typer takes as they are (it lists and checks them)."""

from __future__ import annotations

from enum import Enum


class Choice(str, Enum):
    """A choice whose str() and format() are its value, so messages and JSON read `cpu`, not `Device.CPU`."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Device(Choice):
    AUTO = "auto"
    CPU = "cpu"
    CUDA = "cuda"


class Backend(Choice):
    AUTO = "auto"
    TRANSFORMERS = "transformers"
    CTRANSLATE2 = "ctranslate2"


class Engine(Choice):
    LOCAL = "local"
    RAY = "ray"


class ExportFormat(Choice):
    TMX = "tmx"
    TSV = "tsv"
    JSONL = "jsonl"
