"""Composes the stages: decode → layout → sentences → translate → summarize → render → write (atomically)."""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .document import Page
from .inputs import read_input
from .layout import recover_layout
from .render import article_file, article_html, article_json, dumps, index_html, index_json
from .sentences import segment_page
from .summarize import summarize_article
from .translate import Translator, translate_page


def build_page(text: str, path: str = "", sha256: str = "", encoding: str = "utf-8") -> Page:
    """The model-free part: layout and sentences of a decoded page."""
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


def model_info(translator: Translator) -> dict:
    return {"id": translator.model_id, "backend": translator.backend, "decoding": translator.decoding.as_dict()}


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_outputs(page: Page, out_dir: Path, model: dict, timing: dict | None = None) -> list[Path]:
    """Write index.json/html and article-NN.json/html for the page into out_dir."""
    written = []
    for article in page.articles:
        for ext, text in (("json", dumps(article_json(article, page))), ("html", article_html(article, page, model))):
            path = out_dir / article_file(article, ext)
            write_atomic(path, text)
            written.append(path)
    for name, text in (("index.json", dumps(index_json(page, model, timing))), ("index.html", index_html(page, model))):
        write_atomic(out_dir / name, text)
        written.append(out_dir / name)
    return written


@dataclass
class FileResult:
    path: Path
    out_dir: Path
    articles: int = 0
    sentences: int = 0
    model_inputs: int = 0
    seconds: float = 0.0
    written: list[Path] = field(default_factory=list)


def run_file(path: Path, out_root: Path, translator: Translator) -> FileResult:
    """The whole pipeline for one input file; raises a PipelineError subclass for bad input."""
    t0 = time.perf_counter()
    page = load_page(path)
    t1 = time.perf_counter()
    calls = translate_page(page, translator)
    t2 = time.perf_counter()
    summarize_page(page)
    out_dir = out_root / Path(path).stem
    timing = {"structure_s": round(t1 - t0, 3), "translate_s": round(t2 - t1, 3)}
    written = write_outputs(page, out_dir, model_info(translator), timing)
    return FileResult(Path(path), out_dir, len(page.articles), sum(1 for a in page.articles for _ in a.sentences()),
                      calls, time.perf_counter() - t0, written)
