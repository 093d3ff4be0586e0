"""Translation stage: the only stateful part of the pipeline (a loaded model), behind the `Translator` protocol."""

from __future__ import annotations

import re
from pathlib import Path

from ..document import Byline, Page, Sentence, Unit
from ..language import ZH
from ..sentences import normalize_for_model
from .base import DEFAULT_MODEL, Decoding, TranslationResult, Translator
from .models import DEFAULT_MODELS_DIR, pull_model, resolve_model

__all__ = ["DEFAULT_MODEL", "Decoding", "TranslationResult", "Translator", "load_translator", "model_input",
           "pull_model", "resolve_model", "translate_page"]

_CJK_LEFT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_BYLINE_MARK = re.compile(r"^[□■◇◆]\s*")


def load_translator(model: str = DEFAULT_MODEL, device: str = "auto", beams: int | None = None,
                    models_dir: Path = DEFAULT_MODELS_DIR) -> Translator:
    """Resolve `model` to a local folder and load it (heavy imports happen here, not at CLI start)."""
    from .marian import TransformersTranslator

    path = resolve_model(model, models_dir)
    return TransformersTranslator(path, model_id=model, device=device, beams=beams)


def model_input(unit: Unit) -> str:
    """What the model reads for a unit: the normalised text, without a byline's box mark."""
    if isinstance(unit, Sentence) and unit.source:
        return unit.source
    text = _BYLINE_MARK.sub("", unit.zh) if isinstance(unit, Byline) else unit.zh
    return normalize_for_model(text)


def translate_page(page: Page, translator: Translator) -> int:
    """Fill `en` of every unit; identical inputs are translated once. Returns how many inputs went to the model."""
    pending: dict[str, list[Unit]] = {}
    for unit in page.units():
        if unit.lang != ZH:
            unit.en = unit.zh
            unit.flag("copied")
            continue
        pending.setdefault(model_input(unit), []).append(unit)
    sources = list(pending)
    results = translator.translate(sources) if sources else []
    for source, result in zip(sources, results, strict=True):
        for unit in pending[source]:
            unit.en = result.text
            if not result.text:
                unit.flag("empty")
            elif _CJK_LEFT.search(result.text):
                unit.flag("untranslated", *sorted(set(_CJK_LEFT.findall(result.text))))
    return len(sources)
