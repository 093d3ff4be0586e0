"""`pipeline doctor`: what a user runs first when something is off — Python, torch, device, models, caches."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import platform
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import PipelineError
from .translate.base import DEFAULT_MODEL
from .translate.models import DEFAULT_MODELS_DIR, local_name

MIN_PYTHON = (3, 10)
# Installed distributions worth naming in a bug report; the optional ones are absent in a core install.
REQUIRED = ("torch", "transformers", "sentencepiece", "typer", "rich", "charset-normalizer", "huggingface_hub")
OPTIONAL = ("ctranslate2", "ray", "hypothesis")

OK, WARN, FAIL, INFO = "ok", "warn", "fail", "info"


@dataclass
class Check:
    topic: str
    status: str  # ok | warn | fail | info
    detail: str


def _size(path: Path) -> int:
    """Bytes under `path` (a file or a folder), following no links."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            p = Path(root) / name
            if not p.is_symlink():
                total += p.stat().st_size
    return total


def human(n: float) -> str:
    """1536 → `1.5 KB`."""
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def check_python() -> list[Check]:
    from . import __version__

    ok = sys.version_info[:2] >= MIN_PYTHON
    detail = f"{platform.python_version()} at {sys.executable}"
    if not ok:
        detail += f"; this project needs Python ≥ {'.'.join(map(str, MIN_PYTHON))}"
    return [Check("python", OK if ok else FAIL, detail),
            Check("pipeline", INFO, f"zh-news-pipeline {__version__} from {Path(__file__).parent}")]


def check_packages() -> list[Check]:
    checks = []
    for name in REQUIRED + OPTIONAL:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            if name in REQUIRED:
                checks.append(Check(name, FAIL, "not installed; run `pip install -e .` in the project folder"))
            else:
                checks.append(Check(name, INFO, "not installed (optional)"))
            continue
        checks.append(Check(name, OK, version))
    return checks


def check_device() -> list[Check]:
    """torch's view of the machine: what `--device auto` picks."""
    if importlib.util.find_spec("torch") is None:
        return [Check("device", FAIL, "torch is not installed; run `pip install torch==2.13.0`")]
    import torch

    from .translate.base import cpu_cores, cpu_workers

    workers, each = cpu_workers()
    threads = (f"{cpu_cores()} CPU cores for this process: on CPU, {workers} decoding worker{'s' * (workers > 1)} "
               f"of {each} thread{'s' * (each > 1)}")
    if not torch.cuda.is_available():
        built = torch.version.cuda
        why = f"torch {torch.__version__} is a CPU-only build" if not built else "no CUDA GPU visible"
        return [Check("device", OK, f"auto → cpu ({why}); {threads}")]
    gpus = []
    for i in range(torch.cuda.device_count()):
        prop = torch.cuda.get_device_properties(i)
        gpus.append(f"cuda:{i} {prop.name} {human(prop.total_memory)}")
    checks = [Check("device", OK, f"auto → cuda ({'; '.join(gpus)}; CUDA {torch.version.cuda}); {threads}")]
    if importlib.util.find_spec("ctranslate2") is not None:
        import ctranslate2

        count = ctranslate2.get_cuda_device_count()
        checks.append(Check("ctranslate2 device", OK if count else WARN,
                            f"{count} CUDA device(s) visible to CTranslate2" if count else
                            "CTranslate2 sees no CUDA device: its backend will run on the CPU"))
    return checks


def _hf_cached(model: str) -> Path | None:
    """The model's snapshot in the Hugging Face cache, looked up offline."""
    if "/" not in model or model.startswith((".", "/")):
        return None
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        return Path(snapshot_download(model, local_files_only=True))
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None


def check_model(model: str = DEFAULT_MODEL, models_dir: Path = DEFAULT_MODELS_DIR) -> list[Check]:
    """Where the model is (local folder, models/<name>, HF cache), which one `run` uses, and a CTranslate2 copy."""
    from .translate import find_converted
    from .translate.models import REQUIRED_FILES, converted_candidates, converted_name, resolve_model

    checks = []
    given = Path(model).expanduser()
    places = [("model folder", given)] if given.exists() else []
    places.append(("models dir", models_dir / local_name(model)))
    for label, place in places:
        if place.is_dir():
            missing = [f for f in REQUIRED_FILES if not (place / f).is_file()]
            status, note = (WARN, f"missing {', '.join(missing)}") if missing else (OK, human(_size(place)))
            checks.append(Check(label, status, f"{place} ({note})"))
        else:
            checks.append(Check(label, INFO, f"{place}: not there"))
    cached = _hf_cached(model)
    if cached is not None:
        checks.append(Check("hf cache", OK, f"{model} in {cached} ({human(_size(cached))})"))
    elif "/" in model and not given.exists():
        checks.append(Check("hf cache", INFO, f"{model} is not in the Hugging Face cache"))
    try:
        path = resolve_model(model, models_dir)
    except PipelineError as exc:
        checks.append(Check("model", FAIL, str(exc)))
        return checks
    checks.append(Check("model", OK, f"`pipeline run --model {model}` loads {path}"))
    notes: list[str] = []
    converted = find_converted(model, path, models_dir, warn=notes.append)
    has_ct2 = importlib.util.find_spec("ctranslate2") is not None
    if converted is not None:
        status = OK if has_ct2 else WARN
        detail = f"{converted} ({human(_size(converted))}), up to date; `--backend auto` uses it"
        if not has_ct2:
            detail = f"{converted} exists but ctranslate2 is not installed (`pip install -e '.[ct2]'`)"
        checks.append(Check("ctranslate2 copy", status, detail))
    elif notes:
        checks.append(Check("ctranslate2 copy", WARN, notes[0]))
    else:
        where = converted_candidates(model, path, models_dir)[0]
        checks.append(Check("ctranslate2 copy", INFO, f"none ({where} does not exist); `pipeline model convert "
                            f"{model}` makes {converted_name(model, 'int8')}, usually several times faster on a CPU"))
    return checks


def check_caches(cache: Path | None = None) -> list[Check]:
    """The translation memory and the Hugging Face cache: where they are and how big."""
    from .translate import default_cache_path

    memory = Path(cache).expanduser() if cache else default_cache_path()
    files = [memory, memory.with_name(memory.name + "-wal"), memory.with_name(memory.name + "-shm")]
    if memory.is_file():
        size = sum(f.stat().st_size for f in files if f.is_file())
        checks = [Check("translation memory", OK, f"{memory} ({human(size)})")]
    elif memory.parent.exists() and not os.access(memory.parent, os.W_OK):
        checks = [Check("translation memory", WARN, f"{memory}: its folder is not writable; runs will translate "
                        "without a cache (pass --cache PATH)")]
    else:
        checks = [Check("translation memory", INFO, f"{memory} (not created yet; the first run makes it)")]
    from huggingface_hub import constants

    hf = Path(constants.HF_HUB_CACHE)
    detail = f"{hf} ({human(_size(hf))})" if hf.is_dir() else f"{hf} (does not exist yet)"
    offline = os.environ.get("HF_HUB_OFFLINE") not in (None, "", "0")
    checks.append(Check("hf cache dir", INFO, detail + ("; HF_HUB_OFFLINE is set" if offline else "")))
    return checks


def diagnose(model: str = DEFAULT_MODEL, models_dir: Path = DEFAULT_MODELS_DIR,
             cache: Path | None = None) -> list[Check]:
    """Every check, in the order a user reads them."""
    return [*check_python(), *check_packages(), *check_device(), *check_model(model, models_dir),
            *check_caches(cache)]


def as_dicts(checks: list[Check]) -> list[dict[str, Any]]:
    return [asdict(c) for c in checks]
