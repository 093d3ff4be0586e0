"""Where models live: resolving `--model`, and `pipeline model pull`."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import ModelDownloadError, ModelNotFoundError
from .base import DEFAULT_MODEL

DEFAULT_MODELS_DIR = Path("models")
# What a usable Hugging Face Marian directory must contain.
REQUIRED_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")


def local_name(model_id: str) -> str:
    """`Helsinki-NLP/opus-mt-zh-en` → `opus-mt-zh-en`: the folder under models/."""
    return model_id.rstrip("/").split("/")[-1]


def _is_model_dir(path: Path) -> bool:
    return path.is_dir() and (path / "config.json").is_file()


def looks_like_path(model: str) -> bool:
    """Whether `--model` names a folder rather than a Hugging Face id (`org/name`): it starts with `.`, `/` or `~`,
    has more than one `/` or a backslash, ends with `/`, or its first part is a folder here (`models/nope`)."""
    if model.startswith((".", "/", "~")) or "\\" in model or model.endswith("/") or model.count("/") > 1:
        return True
    head = model.split("/", 1)[0]
    return "/" in model and Path(head).is_dir()


def resolve_model(model: str = DEFAULT_MODEL, models_dir: Path = DEFAULT_MODELS_DIR) -> Path:
    """A local directory holding `model`: the path itself, models/<name>, or the Hugging Face cache."""
    given = Path(model).expanduser()
    if given.exists():
        if _is_model_dir(given):
            return given
        raise ModelNotFoundError(f"{model} is not a model directory (it has no config.json); pass a folder made by "
                                 "`pipeline model pull` or `pipeline model make-test-model`.")
    if looks_like_path(model):
        raise ModelNotFoundError(
            f"The model folder {model} does not exist; pass a folder that holds a model (made by `pipeline model "
            f"pull`, or `pipeline model make-test-model {model}` for the tiny demo model), or a Hugging Face id "
            f"such as {DEFAULT_MODEL}."
        )
    candidate = models_dir / local_name(model)
    if _is_model_dir(candidate):
        return candidate
    if "/" in model:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import LocalEntryNotFoundError

        try:
            return Path(snapshot_download(model, local_files_only=True))
        except (LocalEntryNotFoundError, OSError, ValueError):
            pass
    raise ModelNotFoundError(
        f"Model {model!r} is not on this machine (looked in {candidate}/ and the Hugging Face cache): "
        f"run `pipeline model pull {model}` once where the internet is reachable, or pass `--model DIR` "
        "with a local model folder."
    )


def pull_model(model: str = DEFAULT_MODEL, models_dir: Path = DEFAULT_MODELS_DIR) -> Path:
    """Download a model snapshot into models/<name>; afterwards runs need no network."""
    target = models_dir / local_name(model)
    if _is_model_dir(target):
        return target
    if os.environ.get("HF_HUB_OFFLINE") not in (None, "", "0"):
        raise ModelDownloadError(f"Cannot download {model}: HF_HUB_OFFLINE is set; unset it, or pass `--model DIR`.")
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError

    partial = target.with_name(target.name + ".partial")
    try:
        snapshot_download(
            model,
            local_dir=partial,
            allow_patterns=["*.json", "*.spm", "*.safetensors", "*.txt", "*.model"],
        )
    except (HfHubHTTPError, OSError, ValueError) as exc:
        cause = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelDownloadError(
            f"Could not download {model} from the Hugging Face Hub ({cause}); this machine may have no route to "
            f"huggingface.co — run `pipeline model pull {model}` where it does and copy {target}/ here, "
            "or pass `--model DIR`."
        ) from exc
    partial.rename(target)
    return target


# Everything in a model folder that changes what comes out: weights, config, decoding defaults, tokenizers.
FINGERPRINT_FILES = ("config.json", "generation_config.json", "source.spm", "target.spm", "vocab.json",
                     "shared_vocabulary.json", "tokenizer_config.json")
WEIGHT_SUFFIXES = (".safetensors", ".bin")
_HASH_CHUNK = 1 << 20


def model_fingerprint(model_dir: Path) -> str:
    """A hash of the files that decide the output (config, weights, tokenizers): part of every cache key."""
    digest = hashlib.sha256()
    names = sorted(p.name for p in Path(model_dir).iterdir()
                   if p.is_file() and (p.name in FINGERPRINT_FILES or p.name.endswith(WEIGHT_SUFFIXES)))
    for name in names:
        digest.update(name.encode() + b"\0")
        with open(Path(model_dir) / name, "rb") as fh:
            while chunk := fh.read(_HASH_CHUNK):
                digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def is_ct2_dir(path: Path) -> bool:
    """A CTranslate2 model folder (made by `pipeline model convert`) rather than a Hugging Face one."""
    return (Path(path) / "model.bin").is_file() and not (Path(path) / "model.safetensors").is_file() \
        and not (Path(path) / "pytorch_model.bin").is_file()


def converted_name(model: str, quantization: str) -> str:
    """`Helsinki-NLP/opus-mt-zh-en` or `models/opus-mt-zh-en` → `opus-mt-zh-en-ct2-int8`."""
    return f"{local_name(model)}-ct2-{quantization}"


def converted_candidates(model: str, model_dir: Path, models_dir: Path, quantization: str = "int8") -> list[Path]:
    """Where `pipeline model convert` may have put the CTranslate2 copy of a model, most likely first."""
    found = [models_dir / converted_name(model, quantization),
             Path(model_dir).parent / converted_name(str(model_dir), quantization)]
    return found if found[0].resolve() != found[1].resolve() else found[:1]
