"""Translation stage: the only stateful part of the pipeline (a loaded model), behind the `Translator` protocol."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Callable

from ..annotate import after_translation, before_translation
from ..credits import RULE_BASED
from ..document import Byline, Page, Unit
from ..errors import UsageError
from ..glossary import Glossary
from ..language import ZH
from ..numbers import missing_numbers
from ..sentences import normalize_for_model
from .base import DEFAULT_MODEL, Decoding, TranslationResult, Translator
from .cache import TranslationMemory, cache_key, default_cache_path
from .guards import EMPTY, REPETITION, repeated_fragment, translate_checked
from .models import DEFAULT_MODELS_DIR, is_ct2_dir, model_fingerprint, pull_model, resolve_model
from .pieces import MAX_SOURCE_TOKENS, join_pieces, split_for_model

__all__ = ["DEFAULT_MODEL", "BACKENDS", "Decoding", "TranslationMemory", "TranslationResult", "Translator",
           "convert", "default_cache_path", "load_translator", "model_input", "pull_model", "resolve_model",
           "translate_page", "translate_texts"]

BACKENDS = ("auto", "transformers", "ctranslate2")
DEFAULT_QUANTIZATION = "int8"
_CJK_LEFT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_BYLINE_MARK = re.compile(r"^[□■◇◆]\s*")

log = logging.getLogger(__name__)


def find_converted(model: str, model_dir: Path, models_dir: Path,
                   warn: Callable[[str], None] = log.warning) -> Path | None:
    """The up-to-date CTranslate2 copy of `model_dir` made by `pipeline model convert`, if there is one."""
    from .ct2 import conversion_info
    from .models import converted_candidates

    for candidate in converted_candidates(model, model_dir, models_dir, DEFAULT_QUANTIZATION):
        if not is_ct2_dir(candidate):
            continue
        recorded = conversion_info(candidate).get("source_fingerprint")
        if recorded == model_fingerprint(model_dir):
            return candidate
        warn(f"{candidate} was converted from a different copy of {model}; using transformers "
             f"(run `pipeline model convert {model} --force` to refresh it)")
    return None


def _has_ctranslate2() -> bool:
    import importlib.util

    return importlib.util.find_spec("ctranslate2") is not None


def load_translator(model: str = DEFAULT_MODEL, device: str = "auto", beams: int | None = None,
                    models_dir: Path = DEFAULT_MODELS_DIR, backend: str = "auto",
                    cache: Path | None = None, cores: int | None = None,
                    glossary: Glossary | None = None) -> Translator:
    """Resolve `model` to a local folder and load it with the chosen backend; `cache` is the translation memory
    file (None: no cache); `cores` the CPU cores it may use (None: all). `auto` uses a converted CTranslate2 copy
    when one exists and is up to date."""
    if backend not in BACKENDS:
        raise UsageError(f"Unknown backend {backend!r}: use {', '.join(BACKENDS)}.")
    path = resolve_model(model, models_dir)
    if is_ct2_dir(path):
        if backend == "transformers":
            raise UsageError(f"{path} is a CTranslate2 model; use --backend ctranslate2 (or auto), or pass the "
                             "original Hugging Face folder.")
        backend, ct2_dir = "ctranslate2", path
    elif backend == "transformers" or (backend == "auto" and not _has_ctranslate2()):
        backend, ct2_dir = "transformers", None
    else:
        ct2_dir = find_converted(model, path, models_dir)
        if ct2_dir is None and backend == "ctranslate2":
            raise UsageError(f"No CTranslate2 copy of {model} yet: run `pipeline model convert {model}` once "
                             "(or use --backend transformers).")
        backend = "ctranslate2" if ct2_dir else "transformers"
    translator: Translator
    if backend == "ctranslate2":
        from .ct2 import CTranslate2Translator

        translator = CTranslate2Translator(ct2_dir, model_id=model, device=device, beams=beams, cores=cores)
    else:
        from .marian import TransformersTranslator

        translator = TransformersTranslator(path, model_id=model, device=device, beams=beams, cores=cores)
    translator.memory = TranslationMemory(cache) if cache is not None else None
    translator.glossary = glossary
    return translator


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


def translate_texts(translator: Translator, sources: list[str]) -> tuple[list[TranslationResult], int]:
    """Results for distinct model inputs, from the translation memory where it has them, else from the guarded
    model (and then stored). Returns the results and how many inputs went to the model."""
    memory = getattr(translator, "memory", None)
    if memory is None or not memory.enabled:
        return translate_checked(translator, sources), len(sources)
    keys = [cache_key(translator.fingerprint, translator.backend, translator.decoding, s) for s in sources]
    found = memory.get_many(keys)
    todo = [i for i, k in enumerate(keys) if k not in found]
    fresh = translate_checked(translator, [sources[i] for i in todo]) if todo else []
    memory.put_many([(keys[i], sources[i], r) for i, r in zip(todo, fresh)], translator.model_id,
                    translator.backend, translator.decoding)
    by_index = dict(zip(todo, fresh))
    return [by_index[i] if i in by_index else found[k] for i, k in enumerate(keys)], len(todo)


def translate_page(page: Page, translator: Translator) -> int:
    """Fill `en` of every unit and flag doubtful ones; identical inputs are translated once, long ones in pieces.
    Returns how many inputs went to the model (0 when the translation memory had them all)."""
    glossary: Glossary | None = getattr(translator, "glossary", None)
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
    results, calls = translate_texts(translator, pieces) if pieces else ([], 0)
    by_piece = dict(zip(pieces, results, strict=True))
    for source, units in pending.items():
        plan = plans[source]
        parts = [by_piece[p] for p in plan]
        text = join_pieces(plan, [r.text for r in parts])
        for unit in units:
            unit.en = text
            _flag(unit, source, text, parts)
    after_translation(page, glossary)  # names, name_missing and term_missing (pipeline/annotate.py)
    return calls


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
