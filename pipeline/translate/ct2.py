"""MarianMT through CTranslate2: `pipeline model convert` and the fast backend (int8 on CPU, float16 on CUDA)."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ModelLoadError, UsageError
from .base import MAX_BATCH_TOKENS, MAX_POSITIONS, Decoding, TranslationResult, resolve_device
from .marian import MarianBackend, decoding_batches, load_marian_tokenizer
from .models import converted_name, is_ct2_dir, local_name, model_fingerprint

log = logging.getLogger(__name__)

QUANTIZATIONS = ("int8", "int8_float16", "int8_float32", "float16", "bfloat16", "float32")
# Which CTranslate2 copy `run` takes when `pipeline model convert` made several: on a CPU int8 weights decode
# several times faster than float32 (bench/RESULTS.md) and CPUs have no fast float16; on a GPU float16 is the
# native type, int8 weights with float16 activations next.
PREFERRED = {
    "cpu": ("int8", "int8_float32", "int8_float16", "float32", "bfloat16", "float16"),
    "cuda": ("float16", "int8_float16", "bfloat16", "int8", "int8_float32", "float32"),
}
# Files copied next to model.bin so a converted folder is self-contained: the same sentencepiece tokenizers as
# the transformers backend (identical input tokens) and the model's decoding defaults.
COPIED_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json",
                "generation_config.json")
CONVERSION_INFO = "conversion.json"


def require_ctranslate2() -> Any:
    """Import ctranslate2 or say how to get it."""
    try:
        import ctranslate2
    except ImportError as exc:
        raise UsageError("The CTranslate2 backend needs the ctranslate2 package: "
                         "`pip install ctranslate2`, or use --backend transformers.") from exc
    return ctranslate2


def _marian_loader() -> Any:
    """A Marian loader that reproduces transformers' decoding exactly.

    CTranslate2's stock Marian loader drops the <pad> row and starts the decoder from a zero vector, which is right
    only when the pad embedding is all zeros (true of opus-mt checkpoints, not of models trained with transformers,
    such as the tiny test models). This one keeps <pad> and starts from its embedding, as MarianMTModel does; the
    backend then forbids generating <pad>, as the model's generation config does.
    """
    from ctranslate2.converters.transformers import BartLoader, MarianMTLoader

    class FaithfulMarianLoader(MarianMTLoader):  # type: ignore[misc]
        def get_model_spec(self, model: Any) -> Any:
            model.config.normalize_before = False
            model.config.normalize_embedding = False
            return BartLoader.get_model_spec(self, model)

        def set_config(self, config: Any, model: Any, tokenizer: Any) -> None:
            config.eos_token = tokenizer.eos_token
            config.unk_token = tokenizer.unk_token
            config.decoder_start_token = tokenizer.convert_ids_to_tokens(model.config.decoder_start_token_id)

        def set_decoder(self, spec: Any, decoder: Any) -> None:
            BartLoader.set_decoder(self, spec, decoder)

        def get_vocabulary(self, model: Any, tokenizer: Any) -> Any:
            return BartLoader.get_vocabulary(self, model, tokenizer)

    return FaithfulMarianLoader()


def convert_model(model_dir: Path, out_dir: Path, quantization: str = "int8", force: bool = False) -> Path:
    """Convert a local Hugging Face Marian folder into a CTranslate2 folder (offline); returns `out_dir`."""
    ctranslate2 = require_ctranslate2()
    from ctranslate2.converters import Converter

    if quantization not in QUANTIZATIONS:
        raise UsageError(f"Unknown quantization {quantization!r}: use one of {', '.join(QUANTIZATIONS)}.")
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    if out_dir.exists() and not force:
        raise UsageError(f"{out_dir} already exists; pass --force to convert again.")

    class _Converter(Converter):  # type: ignore[misc]
        def _load(self) -> Any:
            from transformers import MarianMTModel

            tokenizer = load_marian_tokenizer(model_dir)  # first: it quiets transformers' progress bars
            return _marian_loader()(MarianMTModel.from_pretrained(str(model_dir)), tokenizer)

    partial = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        _Converter().convert(str(partial), quantization=quantization, force=True)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise ModelLoadError(f"Cannot convert {model_dir} to CTranslate2 ({exc}); is it a Marian model folder "
                             "made by `pipeline model pull`?") from exc
    for name in COPIED_FILES:
        if (model_dir / name).is_file():
            shutil.copy2(model_dir / name, partial / name)
    info = {"source": str(model_dir), "source_fingerprint": model_fingerprint(model_dir),
            "quantization": quantization, "ctranslate2": ctranslate2.__version__}
    (partial / CONVERSION_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    partial.rename(out_dir)
    return out_dir


def conversion_info(ct2_dir: Path) -> dict[str, Any]:
    """What `convert_model` recorded about a converted folder ({} for folders converted some other way)."""
    path = Path(ct2_dir) / CONVERSION_INFO
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def quantization_of(ct2_dir: Path) -> str:
    """The quantization a converted folder holds: as recorded by `convert_model`, else from its name."""
    recorded = conversion_info(ct2_dir).get("quantization")
    if isinstance(recorded, str) and recorded:
        return recorded
    name = Path(ct2_dir).name
    return name.rsplit("-ct2-", 1)[1] if "-ct2-" in name else ""


@dataclass(frozen=True)
class ConvertedCopy:
    """A CTranslate2 copy of a model found for a run, and why it was taken."""

    path: Path
    quantization: str
    reason: str


def _candidate_dirs(model: str, model_dir: Path, models_dir: Path) -> list[Path]:
    """Every folder where `pipeline model convert` may have put a copy of `model`, one per quantization."""
    places = list(dict.fromkeys([(models_dir, local_name(model)), (Path(model_dir).parent, Path(model_dir).name)]))
    seen: set[Path] = set()
    found = []
    for folder, name in places:
        for quantization in QUANTIZATIONS:
            candidate = folder / f"{name}-ct2-{quantization}"
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def find_copy(model: str, model_dir: Path, models_dir: Path, device: str = "auto",
              warn: Callable[[str], None] = log.warning) -> ConvertedCopy | None:
    """The up-to-date CTranslate2 copy of `model_dir` to use on `device`: of those `pipeline model convert` made
    (any quantization, in models_dir or next to the model), the first in PREFERRED's order. Copies converted from
    another version of the model are passed over with a warning."""
    fingerprint = ""
    usable: dict[str, Path] = {}
    for candidate in _candidate_dirs(model, model_dir, models_dir):
        if not is_ct2_dir(candidate):
            continue
        fingerprint = fingerprint or model_fingerprint(model_dir)
        quantization = quantization_of(candidate)
        if conversion_info(candidate).get("source_fingerprint") != fingerprint:
            warn(f"{candidate} was converted from a different copy of {model}; not using it (run `pipeline model "
                 f"convert {model} --quantization {quantization or 'int8'} --force` to refresh it)")
            continue
        usable.setdefault(quantization, candidate)
    if not usable:
        log.info("no CTranslate2 copy of %s (`pipeline model convert %s` makes one, several times faster on a CPU)",
                 model, model)
        return None
    kind = _device_kind(device)
    order = [q for q in PREFERRED[kind] if q in usable] + sorted(set(usable) - set(PREFERRED[kind]))
    chosen = order[0]
    where = "a GPU" if kind == "cuda" else "a CPU"
    reason = f"{chosen}, preferred on {where} over {', '.join(order[1:])}" if order[1:] else f"{chosen}, the only copy"
    copy = ConvertedCopy(usable[chosen], chosen, reason)
    log.info("CTranslate2 copy of %s: %s (%s)", model, copy.path, copy.reason)
    return copy


def _device_kind(device: str) -> str:
    """cpu or cuda for choosing a copy; `auto` asks CTranslate2 (cpu when it is not installed)."""
    if device in ("cpu", "cuda"):
        return device
    try:
        import ctranslate2
    except ImportError:
        return "cpu"
    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def ensure_converted(model: str, model_dir: Path, models_dir: Path, quantization: str = "int8") -> str:
    """`pipeline model pull`'s second step: make the CTranslate2 copy `run` will use, unless an up-to-date one of
    that quantization is there. Returns the line to print; a failed conversion is a warning, not an error, since
    the downloaded model works with `--backend transformers`."""
    target = Path(models_dir) / converted_name(model, quantization)
    if is_ct2_dir(target) and conversion_info(target).get("source_fingerprint") == model_fingerprint(model_dir):
        return f"its CTranslate2 copy ({quantization}) is in {target}"
    try:
        convert_model(model_dir, target, quantization, force=True)
    except (ModelLoadError, UsageError) as exc:
        return (f"warning: no CTranslate2 copy was made ({exc}); `run` will decode with transformers, "
                f"several times slower on a CPU")
    return f"converted it to CTranslate2 ({quantization}) in {target}; `run` uses that copy"


class CTranslate2Translator(MarianBackend):
    """Batched beam search with a converted model; tokenization is the transformers backend's, token for token."""

    backend = "ctranslate2"

    def __init__(self, model_dir: Path, model_id: str = "", device: str = "auto", beams: int | None = None,
                 max_batch_tokens: int = MAX_BATCH_TOKENS, compute_type: str | None = None,
                 cores: int | None = None) -> None:
        ctranslate2 = require_ctranslate2()
        super().__init__(model_dir, model_id)
        self.device = resolve_device(device, lambda: bool(ctranslate2.get_cuda_device_count() > 0), "CTranslate2")
        quantization = quantization_of(self.model_dir)
        if compute_type is None:
            # On a GPU keep int8 weights with float16 activations; on CPU run the weights as stored.
            compute_type = ("int8_float16" if quantization.startswith("int8") else "float16") \
                if self.device == "cuda" else "default"
        self._plan_workers(cores)
        try:  # CTranslate2's workers (inter_threads) share the weights
            self.model = ctranslate2.Translator(str(self.model_dir), device=self.device, compute_type=compute_type,
                                                inter_threads=self.workers, intra_threads=self.threads)
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelLoadError(f"Cannot load the CTranslate2 model in {self.model_dir} ({exc}); re-run "
                                 "`pipeline model convert`, or use --backend transformers.") from exc
        # What index.json `model.converted` records: which copy decoded, with which types on this device.
        self.converted = {"path": os.path.abspath(self.model_dir), "quantization": quantization,
                          "compute_type": str(self.model.compute_type)}
        log.debug("CTranslate2 on %s: %s, compute type %s", self.device, self.model_dir, self.model.compute_type)
        generation = self._generation_config()
        self.decoding = Decoding(beams=beams or generation.get("num_beams") or 1)
        # transformers forbids these via the generation config's bad_words_ids; <pad> above all, since the
        # faithful conversion keeps it in the vocabulary.
        banned = [[self.tokenizer.pad_token]]
        for ids in generation.get("bad_words_ids") or []:
            tokens = self.tokenizer.convert_ids_to_tokens(ids)
            if tokens not in banned:
                banned.append(tokens)
        self.suppress = banned
        self.max_batch_tokens = max_batch_tokens
        self.max_positions = MAX_POSITIONS

    def _generation_config(self) -> dict[str, Any]:
        try:
            config = json.loads((self.model_dir / "generation_config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return config if isinstance(config, dict) else {}

    def translate(self, sources: list[str], decoding: Decoding | None = None) -> list[TranslationResult]:
        decoding = decoding or self.decoding
        tok = self.tokenizer
        pieces = [tok.convert_ids_to_tokens(tok(s).input_ids) for s in sources]
        results: list[TranslationResult | None] = [None] * len(sources)
        pending = []
        # Every batch is queued at once; the workers take them in turn and each result waits for its own batch.
        for batch in decoding_batches([len(p) for p in pieces], self.max_batch_tokens, decoding.beams,
                                      self.max_batch_sentences):
            cap = decoding.length_cap(max(len(pieces[i]) for i in batch), self.max_positions)
            pending.append((batch, self.model.translate_batch(
                [pieces[i] for i in batch], beam_size=decoding.beams, max_decoding_length=cap,
                min_decoding_length=min(decoding.min_new_tokens, cap), max_input_length=0,  # never truncate
                no_repeat_ngram_size=decoding.no_repeat_ngram_size, repetition_penalty=decoding.repetition_penalty,
                suppress_sequences=self.suppress, return_end_token=True, max_batch_size=0, asynchronous=True,
            )))
        for batch, futures in pending:
            self.model_inputs += len(batch)
            for future, i in zip(futures, batch):
                hyp = future.result().hypotheses[0]
                text = tok.decode(tok.convert_tokens_to_ids(hyp), skip_special_tokens=True)
                ended = bool(hyp) and hyp[-1] == tok.eos_token
                results[i] = TranslationResult(text.strip(), len(pieces[i]), len(hyp), ended=ended)
        return [r for r in results if r is not None]
