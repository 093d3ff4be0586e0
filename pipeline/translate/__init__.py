"""Translation stage: the only stateful part of the pipeline (a loaded model), behind the `Translator` base.

Batching lives here: `translate_page` sends a page's distinct model inputs to the translator in the slices of a
`BatchPlan`, which decide the model's batches and so the English; every engine calls it the same way.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..annotate import after_translation, before_translation
from ..credits import RULE_BASED
from ..document import Byline, Page, Unit
from ..errors import UsageError
from ..glossary import Glossary
from ..language import ZH
from ..numbers import missing_numbers
from ..options import Backend
from ..sentences import normalize_for_model
from .base import DEFAULT_MODEL, BatchPlan, Decoding, Progress, TranslationResult, Translator
from .cache import CachedTranslator, TranslationMemory, default_cache_path
from .guards import EMPTY, REPETITION, repeated_fragment
from .models import DEFAULT_MODELS_DIR, is_ct2_dir, pull_model, resolve_model
from .pieces import MAX_SOURCE_TOKENS, join_pieces, split_for_model

__all__ = ["DEFAULT_MODEL", "BACKENDS", "BatchPlan", "CachedTranslator", "Decoding", "PageTranslation",
           "TranslationMemory", "TranslationResult", "Translator", "convert", "default_cache_path",
           "load_translator", "model_input", "pull_model", "resolve_model", "translate_page", "translate_texts"]

BACKENDS = tuple(b.value for b in Backend)
DEFAULT_QUANTIZATION = "int8"
_CJK_LEFT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_BYLINE_MARK = re.compile(r"^[□■◇◆]\s*")

log = logging.getLogger(__name__)


def find_converted(model: str, model_dir: Path, models_dir: Path,
                   warn: Callable[[str], None] = log.warning, device: str = "auto") -> Path | None:
    """The up-to-date CTranslate2 copy of `model_dir` made by `pipeline model convert`, if there is one (any
    quantization; int8 preferred on a CPU, float16 on a GPU: see ct2.find_copy)."""
    from .ct2 import find_copy

    copy = find_copy(model, model_dir, models_dir, device, warn)
    return copy.path if copy else None


def _has_ctranslate2() -> bool:
    import importlib.util

    return importlib.util.find_spec("ctranslate2") is not None


def load_translator(model: str = DEFAULT_MODEL, device: str = "auto", beams: int | None = None,
                    models_dir: Path = DEFAULT_MODELS_DIR, backend: str = "auto",
                    cache: Path | None = None, cores: int | None = None,
                    glossary: Glossary | None = None) -> Translator:
    """Resolve `model` to a local folder and load it with the chosen backend; `cache` is the translation memory
    file (None: no cache, else a CachedTranslator); `cores` the CPU cores it may use (None: all). `auto` uses a
    converted CTranslate2 copy when one exists and is up to date."""
    if backend not in BACKENDS:
        raise UsageError(f"backend {backend!r} is unknown: use {', '.join(BACKENDS)}.", option="backend")
    path = resolve_model(model, models_dir)
    ct2_dir: Path | None
    if is_ct2_dir(path):
        if backend == Backend.TRANSFORMERS:
            raise UsageError(f"{path} is a CTranslate2 model; use the ctranslate2 backend (or auto), or pass the "
                             "original Hugging Face folder.", option="backend")
        backend, ct2_dir = Backend.CTRANSLATE2, path
    elif backend == Backend.TRANSFORMERS or (backend == Backend.AUTO and not _has_ctranslate2()):
        backend, ct2_dir = Backend.TRANSFORMERS, None
    else:
        ct2_dir = find_converted(model, path, models_dir, device=device)
        if ct2_dir is None and backend == Backend.CTRANSLATE2:
            raise UsageError(f"No CTranslate2 copy of {model} yet: run `pipeline model convert {model}` once "
                             "(or use the transformers backend).", option="backend")
        backend = Backend.CTRANSLATE2 if ct2_dir else Backend.TRANSFORMERS
    translator: Translator
    if ct2_dir is not None:
        from .ct2 import CTranslate2Translator

        translator = CTranslate2Translator(ct2_dir, model_id=model, device=device, beams=beams, cores=cores)
    else:
        from .marian import TransformersTranslator

        translator = TransformersTranslator(path, model_id=model, device=device, beams=beams, cores=cores)
    translator.glossary = glossary  # before wrapping: a CachedTranslator passes it through
    return CachedTranslator(translator, TranslationMemory(cache)) if cache is not None else translator


def convert(model: str = DEFAULT_MODEL, quantization: str = DEFAULT_QUANTIZATION,
            models_dir: Path = DEFAULT_MODELS_DIR, out: Path | None = None, force: bool = False) -> Path:
    """`pipeline model convert`: write the CTranslate2 copy of a local model to models/<name>-ct2-<quantization>."""
    from .ct2 import convert_model
    from .models import converted_name

    path = resolve_model(model, models_dir)
    if is_ct2_dir(path):
        raise UsageError(f"{path} is already a CTranslate2 model.")
    return convert_model(path, out or models_dir / converted_name(model, quantization), quantization, force)


def model_input(unit: Unit) -> str:
    """What the model reads for a unit: the normalised text, without a byline's box mark."""
    if unit.source:
        return unit.source
    text = _BYLINE_MARK.sub("", unit.zh) if isinstance(unit, Byline) else unit.zh
    return normalize_for_model(text)


def translate_texts(translator: Translator, sources: list[str], plan: BatchPlan | None = None,
                    on_progress: Progress | None = None) -> tuple[list[TranslationResult], int]:
    """Results for distinct model inputs, from the translation memory where the translator has one and it has
    them, else from the guarded model (and then stored). Returns the results and how many inputs went to the
    model."""
    return translator.translate_texts(sources, plan, on_progress)


@dataclass(frozen=True)
class PageTranslation:
    """What translating a page cost: inputs sent to the model, and translation-memory hits (None without one)."""

    model_inputs: int
    cache_hits: int | None


def translate_page(page: Page, translator: Translator, batch_plan: BatchPlan | None = None,
                   on_progress: Progress | None = None) -> PageTranslation:
    """Fill `en` of every unit and flag doubtful ones; identical inputs are translated once, long ones in pieces.


    The model gets the page's distinct inputs in the slices of `batch_plan` (default: the plan for the
    translator's device, which every engine uses); `on_progress(n)` hears after each slice. Returns how many
    inputs went to the model (0 when the translation memory had them all) and how many the memory answered.
    Bylines and datelines written in English by rule (flag `rule_based`) never reach the model."""
    glossary = translator.glossary
    before_translation(page, glossary)  # script, rule-based bylines/datelines, protected terms (pipeline/annotate.py)
    pending: dict[str, list[Unit]] = {}
    for unit in page.units():
        if RULE_BASED in unit.flags:
            continue  # the model never sees bylines and datelines written by rule
        if unit.lang != ZH:
            unit.en = unit.zh
            unit.flag("copied")
            continue
        pending.setdefault(model_input(unit), []).append(unit)
    plans = {source: split_for_model(source, translator.count_tokens, MAX_SOURCE_TOKENS) for source in pending}
    pieces = list(dict.fromkeys(p for plan in plans.values() for p in plan))
    batching = batch_plan or BatchPlan.for_device(translator.device)
    results, calls = translate_texts(translator, pieces, batching, on_progress) if pieces else ([], 0)
    by_piece = dict(zip(pieces, results, strict=True))
    for source, units in pending.items():
        plan = plans[source]
        parts = [by_piece[p] for p in plan]
        text = join_pieces(plan, [r.text for r in parts])
        for unit in units:
            unit.en = text
            _flag(unit, source, text, parts)
    after_translation(page, glossary)  # names, name_missing and term_missing (pipeline/annotate.py)
    hits = None if translator.cache_hits is None else len(pieces) - calls
    return PageTranslation(calls, hits)


def _flag(unit: Unit, source: str, text: str, parts: list[TranslationResult]) -> None:
    if len(parts) > 1:
        unit.flag("split_for_translation", f"{len(parts)} pieces")
    notes = {n for r in parts for n in r.notes}
    if not text or EMPTY in notes:
        unit.flag("empty")
    if REPETITION in notes:
        fragments = [f for r in parts if (f := repeated_fragment(r.text))]
        unit.flag("repetition", *(fragments[:1] or ["far longer than the source"]))
    if cjk := _CJK_LEFT.findall(text):
        unit.flag("untranslated", *sorted(set(cjk)))
    if text and (missing := missing_numbers(source, text)):
        unit.flag("number_mismatch", *missing)
