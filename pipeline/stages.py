"""The stages of the pipeline, in the one place that orders them:

    read → layout → sentences → translate → summarize → render → write

An input is read and decoded once (`Source.read`), claimed (`open_input`: its folder and manifest), cut into parts
(`inputs.page_spans`), and each part goes through three steps that every engine calls in this order:

    build_page   layout, sentences                      (CPU, no model)
    process      translate (batched by translate/), summarize, spans into the whole input
    write_part   render, write atomically                (CPU)

then `finish_input` marks the manifest complete. The local engine (`run.py`) calls them in a loop; the Ray engine
(`engine_ray.py`) calls the same functions as Ray Data stages. Engines only schedule: neither decides what a
stage does, so their JSON is byte-identical, the `timing` block aside.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .document import Page
from .errors import ExitStatus, OutputError, PipelineError
from .inputs import Decoded, read_input, read_stream
from .language import ZH
from .layout import recover_layout
from .render import article_file, article_html, article_json, dumps, index_html, index_json
from .sentences import segment_page
from .storage import STDIN, STDIN_NAME, Manifest, OutputStore, PartRecord, input_key
from .summarize import summarize_article
from .translate import BatchPlan, PageTranslation, Translator, model_input, translate_page
from .vocabulary import PHOTO

log = logging.getLogger(__name__)

STDIN_STEM = "stdin"
STAGES = ("read", "layout", "sentences", "translate", "summarize", "render", "write")


# ------------------------------------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class Source:
    """One input of a batch: a file, or standard input (`-`)."""

    arg: str

    @property
    def is_stdin(self) -> bool:
        return self.arg == STDIN

    @property
    def name(self) -> str:
        return STDIN_NAME if self.is_stdin else self.arg

    @property
    def key(self) -> str:
        """What identifies the input across runs: its absolute path."""
        return input_key(self.arg)

    @property
    def stem(self) -> str:
        return STDIN_STEM if self.is_stdin else (Path(self.arg).stem or "input")

    def read(self, data: bytes | None = None) -> Decoded:
        """Read and decode the input; standard input's bytes may be given (a Ray driver reads them)."""
        if self.is_stdin:
            import io

            return read_stream(io.BytesIO(data) if data is not None else None, name=self.name)
        return read_input(Path(self.arg))


# ------------------------------------------------------------------------------------------------ page stages


def build_page(text: str, path: str = "", sha256: str = "", encoding: str = "utf-8") -> Page:
    """The model-free stages of a decoded page: layout, then sentences."""
    page = Page(text=text, path=path, sha256=sha256, encoding=encoding)
    return segment_page(recover_layout(page))


def load_page(path: Path) -> Page:
    """Read, decode and structure one input file (no model)."""
    decoded = read_input(path)
    return build_page(decoded.text, str(path), decoded.sha256, decoded.encoding)


def summarize_page(page: Page) -> Page:
    for article in page.articles:
        article.summary = summarize_article(article)
    return page


def shift_spans(page: Page, offset: int) -> None:
    """Move every span of a part's page by the part's offset, so spans point into the whole decoded input."""
    if not offset:
        return
    for unit in page.units():
        unit.span = (unit.span[0] + offset, unit.span[1] + offset)
    for article in page.articles:
        for para in article.paragraphs:
            para.span = (para.span[0] + offset, para.span[1] + offset)
            para.column_breaks = [b + offset for b in para.column_breaks]


def distinct_model_inputs(page: Page) -> int:
    """How many inputs `translate_page` will send to the model: the Chinese units, identical ones once."""
    return len({model_input(u) for u in page.units() if u.lang == ZH})


@dataclass
class PageResult:
    """A processed page: translated, summarised, its spans in the whole input's offsets."""

    page: Page
    translation: PageTranslation
    translate_s: float

    @property
    def timing(self) -> dict[str, float]:
        return {"translate_s": round(self.translate_s, 3)}

    def counts(self) -> dict[str, Any]:
        """The page's counts, as its manifest record keeps them."""
        flags = Counter(f for unit in self.page.units() for f in unit.flags)
        return {"articles": len(self.page.articles), "photos": sum(a.kind == PHOTO for a in self.page.articles),
                "sentences": sum(1 for a in self.page.articles for _ in a.sentences()),
                "model_inputs": self.translation.model_inputs, "flags": dict(sorted(flags.items()))}


def process(page: Page, translator: Translator, on_progress: Callable[[int], None] | None = None, *,
            offset: int = 0, batch_plan: BatchPlan | None = None) -> PageResult:
    """The model stage and what follows it: translate (in the batches of `batch_plan`, by default the plan for the
    translator's device), summarize, then move the spans by the part's `offset` into the whole input."""
    t0 = time.perf_counter()
    translation = translate_page(page, translator, batch_plan, on_progress)
    seconds = time.perf_counter() - t0
    summarize_page(page)
    shift_spans(page, offset)
    return PageResult(page, translation, seconds)


def model_info(translator: Translator) -> dict[str, Any]:
    info = {"id": translator.model_id, "backend": translator.backend, "decoding": translator.decoding.as_dict()}
    return {**info, "converted": translator.converted} if translator.converted else info


def render_outputs(page: Page, model: dict[str, Any], timing: dict[str, float] | None = None,
                   part: dict[str, Any] | None = None) -> Iterator[tuple[str, str]]:
    """The page's output files as (name, text), one article at a time, index files last."""
    for article in page.articles:
        for ext, text in (("json", dumps(article_json(article, page))), ("html", article_html(article, page, model))):
            yield article_file(article, ext), text
    index = index_json(page, model, timing)
    if part is not None:
        index["source"]["part"] = part
    for name, text in (("index.json", dumps(index)), ("index.html", index_html(page, model, part))):
        yield name, text


def write_outputs(page: Page, out_dir: Path, model: dict[str, Any], timing: dict[str, float] | None = None,
                  part: dict[str, Any] | None = None) -> list[Path]:
    """Write index.json/html and article-NN.json/html for the page into out_dir; index files last."""
    store = OutputStore(str(out_dir))
    written = []
    for name, text in render_outputs(page, model, timing, part):
        store.write(name, text)
        written.append(out_dir / name)
    return written


def write_part(store: OutputStore, folder: str, rel: str, span: tuple[int, int], result: PageResult,
               model: dict[str, Any], part: dict[str, Any] | None) -> PartRecord:
    """Render and write one processed part into `folder/rel` (rel `.` for a one-part input); its manifest record."""
    files = []
    target = folder if rel == "." else f"{folder}/{rel}"
    try:
        for name, text in render_outputs(result.page, model, result.timing, part):
            store.write(f"{target}/{name}", text)
            files.append(name if rel == "." else f"{rel}/{name}")
    except OSError as exc:
        raise write_error(store.display(target), exc) from exc
    return PartRecord(dir=rel, span=[span[0], span[1]], files=files, **result.counts())


def part_place(n: int, spans: list[tuple[int, int]]) -> tuple[str, dict[str, Any] | None]:
    """Part n's folder relative to the input's (`.` for a one-part input) and its index.json `source.part`."""
    if len(spans) == 1:
        return ".", None
    return f"part-{n:03d}", {"number": n, "of": len(spans), "span": list(spans[n - 1])}


# ------------------------------------------------------------------------------------------------ input stages


def run_settings(translator: Translator) -> dict[str, Any]:
    """Everything besides the input that decides the output; a change makes a re-run redo finished inputs."""
    settings: dict[str, Any] = {"pipeline": __version__, "model": model_info(translator),
                                "fingerprint": str(translator.fingerprint)}
    if translator.glossary is not None:  # only then, so that runs without one keep their manifests
        settings["glossary"] = translator.glossary.fingerprint()
    return settings


def settings_key(settings: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


def new_manifest(source: Source, decoded: Decoded, settings: dict[str, Any]) -> Manifest:
    """An input's manifest before any part is done (`complete` false, no parts)."""
    return Manifest(
        source={"path": source.name, "key": source.key, "sha256": decoded.sha256, "encoding": decoded.encoding,
                "bytes": decoded.size},
        settings=settings, settings_key=settings_key(settings))


@dataclass
class OpenInput:
    """An input whose folder is claimed: skip it (finished earlier), or write its parts, reusing `done` ones."""

    folder: str
    manifest: Manifest
    old_files: list[str]
    skip: bool = False
    done: dict[str, PartRecord] = field(default_factory=dict)

    def reusable(self, store: OutputStore, rel: str, span: tuple[int, int]) -> PartRecord | None:
        """The record of a part an interrupted earlier run finished, when its span and files are still there."""
        prev = self.done.get(rel)
        if prev and prev.span == [span[0], span[1]] and store.files_exist(self.folder, prev.files):
            return prev
        return None


def open_input(store: OutputStore, folder: str, source: Source, decoded: Decoded, settings: dict[str, Any],
               resume: bool) -> OpenInput:
    """Decide whether an input is skipped or resumed, and claim its folder with a fresh manifest (before any
    output is written). With `resume`, an input finished by an earlier run with the same input bytes and settings
    is skipped, and the parts an interrupted run finished are kept."""
    old = store.manifest(folder) if store.is_dir(folder) else None
    manifest = new_manifest(source, decoded, settings)
    same = (resume and old is not None and old.settings_key == manifest.settings_key
            and old.source.get("sha256") == decoded.sha256)
    if same and old is not None and old.complete and store.files_exist(folder, old.files):
        log.info("%s: finished by an earlier run and unchanged; skipped", source.name)
        return OpenInput(folder, old, old.files, skip=True)
    try:
        store.prepare(folder)
        store.write_manifest(folder, manifest)
    except OSError as exc:
        raise write_error(store.display(folder), exc) from exc
    done = {p.dir: p for p in old.parts} if same and old is not None else {}
    return OpenInput(folder, manifest, old.files if old is not None else [], done=done)


def record_part(store: OutputStore, opened: OpenInput, record: PartRecord) -> None:
    """A part is done: the manifest says so, so an interrupted run resumes after it."""
    opened.manifest.add(record)
    try:
        store.write_manifest(opened.folder, opened.manifest)
    except OSError as exc:
        raise write_error(store.display(opened.folder), exc) from exc


def parts_overview(manifest: Manifest) -> dict[str, Any]:
    """The top-level index.json of an input in parts: the input, and each part's folder, span and counts."""
    source = {k: manifest.source[k] for k in ("path", "sha256", "encoding")}
    parts = [{"number": n, "dir": p.dir, "index": f"{p.dir}/index.html", "span": p.span, "articles": p.articles,
              "sentences": p.sentences} for n, p in enumerate(manifest.parts, start=1)]
    return {"schema_version": 1, "kind": "parts", "source": source, "parts": parts}


def parts_overview_html(overview: dict[str, Any]) -> str:
    """The top-level index.html of an input in parts (templates/parts.html.j2)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("pipeline", "templates"), autoescape=True,
                             keep_trailing_newline=True)
    return env.get_template("parts.html.j2").render(name=overview["source"]["path"], parts=overview["parts"])


def write_overview(store: OutputStore, opened: OpenInput) -> None:
    """An input in parts gets a top-level index.json and index.html listing its parts (written after them)."""
    if len(opened.manifest.parts) < 2:
        return
    overview = parts_overview(opened.manifest)
    for name, text in (("index.json", dumps(overview)), ("index.html", parts_overview_html(overview))):
        store.write(f"{opened.folder}/{name}", text)
        if name not in opened.manifest.files:
            opened.manifest.files.append(name)


def finish_input(store: OutputStore, opened: OpenInput) -> None:
    """Every part is written: the overview of an input in parts, then remove what an earlier run wrote and this one
    did not, and mark the manifest complete."""
    try:
        write_overview(store, opened)
        store.remove_stale(opened.folder, opened.old_files, opened.manifest.files)
        opened.manifest.complete = True
        store.write_manifest(opened.folder, opened.manifest)
    except OSError as exc:
        raise write_error(store.display(opened.folder), exc) from exc


# ------------------------------------------------------------------------------------------------ results


def write_error(where: Path | str, exc: OSError) -> OutputError:
    """The one "cannot write the outputs" error."""
    return OutputError(f"{where}: cannot write the outputs ({exc.strerror or exc}); check that folder's permissions "
                       "and the free disk space.")


def failure_message(name: str, exc: Exception) -> str:
    """The one line a failed input gets: a PipelineError's message, or the internal-error line for a bug."""
    if isinstance(exc, PipelineError):
        return str(exc)
    log.debug("internal error on %s", name, exc_info=exc)
    return (f"{name}: internal error ({type(exc).__name__}: {exc}); please report it with this input (-vv shows the "
            "traceback).")


@dataclass
class FileResult:
    path: Path
    out_dir: Path
    articles: int = 0  # items: articles and photos (pipeline/vocabulary.py)
    photos: int = 0  # of those, photos
    sentences: int = 0
    model_inputs: int = 0
    seconds: float = 0.0
    written: list[Path] = field(default_factory=list)
    name: str = ""  # as the user named the input (`<stdin>` for -)
    status: str = "done"  # done | skipped (finished by an earlier run, unchanged) | failed
    parts: int = 1
    parts_reused: int = 0  # parts an interrupted earlier run had finished
    flags: dict[str, int] = field(default_factory=dict)  # flagged units per flag name
    cache_hits: int | None = None  # translation-memory hits, when the translator has a memory
    error: str = ""


def failed_result(name: str, error: str) -> FileResult:
    return FileResult(Path(name), Path(), name=name, status="failed", parts=0, error=error)


def file_result(source: Source, out_dir: Path, manifest: Manifest, status: str, seconds: float,
                reused: set[str] | frozenset[str] = frozenset(), cache_hits: int | None = None) -> FileResult:
    """A FileResult from a manifest; parts in `reused` (or all, when skipped) count as not redone."""
    parts = manifest.parts
    fresh = [p for p in parts if p.dir not in reused] if status == "done" else []
    flags: Counter[str] = Counter()
    for p in parts:
        flags.update(p.flags)
    return FileResult(
        Path(source.arg), out_dir,
        articles=sum(p.articles for p in parts), photos=sum(p.photos for p in parts),
        sentences=sum(p.sentences for p in parts),
        model_inputs=sum(p.model_inputs for p in fresh),
        seconds=seconds,
        written=[out_dir / f for p in fresh for f in p.files],
        name=source.name, status=status, parts=len(parts),
        parts_reused=len(parts) - len(fresh) if status == "done" else 0,
        flags=dict(sorted(flags.items())),
        cache_hits=cache_hits if status == "done" else None,
    )


def add_hits(total: int | None, hits: int | None) -> int | None:
    """Cache hits summed over parts (None when the translator has no memory)."""
    return total if hits is None else (total or 0) + hits


@dataclass
class BatchResult:
    results: list[FileResult]
    seconds: float

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        """OK when every input produced its outputs, FAILED when some did not (see README, Exit codes)."""
        return int(ExitStatus.FAILED if self.failed else ExitStatus.OK)


class Reporter:
    """Progress events of a batch; this base ignores them (quiet runs, library use)."""

    def batch_started(self, inputs: int) -> None: ...

    def file_started(self, name: str, chars: int, parts: int) -> None: ...

    def part_built(self, articles: int, model_inputs: int, chars: int) -> None: ...

    def translated(self, model_inputs: int) -> None: ...

    def part_finished(self, articles: int, model_inputs: int, chars: int, reused: bool) -> None: ...

    def file_finished(self, result: FileResult) -> None: ...
