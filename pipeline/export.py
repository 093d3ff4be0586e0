"""Export stage: the aligned sentence pairs of a run's JSON output, for translators' tools (TMX 1.4, TSV, JSONL)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .errors import InputError, UsageError

FORMATS = ("tmx", "tsv", "jsonl")
SRC_LANG = "zh-CN"  # TMX wants a locale; the pages are mainland newspapers in Simplified Chinese
TGT_LANG = "en"
TSV_HEADER = ("id", "zh", "en", "flags")

# XML 1.0 cannot carry most control characters even escaped; they carry no text, so they are dropped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A TSV field cannot hold its own separators.
_TSV_BREAKS = re.compile(r"[\t\r\n]+")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Pair:
    """One sentence of one page: its id, Chinese, English and quality flags."""

    page: str
    id: str
    zh: str
    en: str
    flags: tuple[str, ...] = ()


def _is_overview(path: Path) -> bool:
    """The top-level index.json of an input in parts, which lists the parts' pages rather than being one."""
    try:
        return bool(json.loads(path.read_text(encoding="utf-8")).get("kind") == "parts")
    except (OSError, ValueError, AttributeError):
        return False


def find_pages(out_dir: Path) -> list[Path]:
    """The index.json files under OUT_DIR: one page's folder, its part-NNN/ folders, or a folder of those (sorted)."""
    if not out_dir.is_dir():
        raise InputError(f"{out_dir}: no such folder; give the folder `pipeline run` wrote (e.g. output/ or "
                         "output/<page>/)")
    if (out_dir / "index.json").is_file() and not _is_overview(out_dir / "index.json"):
        return [out_dir / "index.json"]
    pages = sorted(p for p in out_dir.rglob("index.json") if p.is_file() and not _is_overview(p))
    if not pages:
        raise InputError(f"{out_dir}: holds no index.json, so no pipeline output; run `pipeline run INPUT --out "
                         f"{out_dir}` first")
    return pages


def _load(path: Path, schema: str) -> dict[str, Any]:
    from jsonschema import ValidationError

    from .schemas import validate

    try:
        doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        validate(doc, schema)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError) as exc:
        reason = exc.message if isinstance(exc, ValidationError) else str(exc)
        raise InputError(f"{path}: not a readable pipeline {schema} file ({reason}); run `pipeline run` again to "
                         "rewrite it") from exc
    return doc


def read_pairs(index_path: Path, page: str) -> list[Pair]:
    """Every sentence of one page's articles, in page order, read from its index.json and article files."""
    index = _load(index_path, "index")
    pairs = []
    for item in index["items"]:
        if item["kind"] == "other":
            continue
        doc = _load(index_path.parent / item["json"], "article")
        for para in doc["paragraphs"]:
            for s in para["sentences"]:
                pairs.append(Pair(page, s["id"], s["zh"], s.get("en", ""), tuple(s["flags"])))
    return pairs


def to_tmx(pairs: list[Pair]) -> str:
    """TMX 1.4: srclang zh-CN, one <tu> per sentence with tuid PAGE/ID, flags as an x-flags prop."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": "zh-news-pipeline", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "zh-news-pipeline-json", "adminlang": "en", "srclang": SRC_LANG, "datatype": "plaintext",
    })
    body = ET.SubElement(root, "body")
    for p in pairs:
        tu = ET.SubElement(body, "tu", tuid=f"{p.page}/{p.id}")
        ET.SubElement(tu, "prop", type="x-page").text = _NOT_XML.sub("", p.page)
        if p.flags:
            ET.SubElement(tu, "prop", type="x-flags").text = " ".join(p.flags)
        for lang, text in ((SRC_LANG, p.zh), (TGT_LANG, p.en)):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = _NOT_XML.sub("", text)
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            + ET.tostring(root, encoding="unicode") + "\n")


def _tsv_field(text: str) -> str:
    return _TSV_BREAKS.sub(" ", text)


def to_tsv(pairs: list[Pair]) -> str:
    """Tab-separated, a header line then one line per sentence: id (PAGE/ID), zh, en, flags (comma-separated)."""
    lines = ["\t".join(TSV_HEADER)]
    lines += ["\t".join(_tsv_field(f) for f in (f"{p.page}/{p.id}", p.zh, p.en, ",".join(p.flags))) for p in pairs]
    return "\n".join(lines) + "\n"


def to_jsonl(pairs: list[Pair]) -> str:
    """One JSON object per line: page, id, zh, en, flags."""
    return "".join(json.dumps({"page": p.page, "id": p.id, "zh": p.zh, "en": p.en, "flags": list(p.flags)},
                              ensure_ascii=False) + "\n" for p in pairs)


def collect_pairs(out_dir: Path) -> list[Pair]:
    """The sentence pairs of every page under OUT_DIR, pages in path order, sentences in page order."""
    pairs = []
    for index in find_pages(out_dir):
        # The page's folder relative to OUT_DIR (OUT_DIR's own name when it is the page): unique in one export.
        page = index.parent.relative_to(out_dir).as_posix()
        pairs += read_pairs(index, out_dir.resolve().name if page == "." else page)
    return pairs


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")


def format_pairs(pairs: list[Pair], fmt: str) -> str:
    """The pairs as a TMX, TSV or JSONL document."""
    check_format(fmt)
    return {"tmx": to_tmx, "tsv": to_tsv, "jsonl": to_jsonl}[fmt](pairs)


def export(out_dir: Path, fmt: str) -> str:
    """The sentence pairs of every page under OUT_DIR in format `fmt` (tmx, tsv or jsonl)."""
    check_format(fmt)
    return format_pairs(collect_pairs(out_dir), fmt)
