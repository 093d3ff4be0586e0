"""Build the layout corpus of issue #13 into bench/data/layout/{dev,test}/: NAME.txt (the page dump),
NAME.gold.json (gold items, pipeline/layout/gold.py's format, plus "style", "half" and "sources") and NAME.lines.tsv
(each non-blank line and its label), and bench/data/layout/MANIFEST.tsv. Deterministic: the same sources give the
same files. The split is by source document and is fixed before any tuning (see bench/data/layout/README.md).

It also writes bench/data/layout/train-extra/: more generated pages (EXTRA a style, no held-out style) built from
DEV documents only, in the same format. They are training data for the shipped line labeller
(pipeline/layout/train.py), never scored: the dev pages reuse each dev document about eight times, and cross-validation
by document (bench/layout_cv.py --by-document) showed that more generated pages of the dev documents raise boundary F1
on pages of documents the labeller never saw.

Usage: PYTHONPATH=. /work/main/.venv/bin/python bench/make_layout_corpus.py [--dev 15] [--test 8] [--held 10] [--extra 40]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from layoutcorpus import special
from layoutcorpus.build import build_page
from layoutcorpus.sources import WMT21_ACCEPTANCE_LINES, Doc, extra_docs, wmt21_docs
from layoutcorpus.styles import STYLES

OUT = ROOT / "bench" / "data" / "layout"
EXTRA = "train-extra"
# Generated training pages a style in train-extra/ (chosen by bench/layout_cv.py --by-document --train-extra N on the
# dev documents: boundary F1 0.951 with none, 0.962 with 10, 0.973 with 20, 0.978 with 40 a style).
EXTRA_PAGES = 40


def half_of(doc: Doc) -> str:
    """dev or test, by source document: the acceptance lines' documents are test, the rest by a stable hash."""
    lo, hi = WMT21_ACCEPTANCE_LINES
    if doc.lines and doc.lines[0] <= hi and doc.lines[1] >= lo:
        return "test"
    key = doc.split_key or doc.id
    return "test" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 else "dev"


def write_page(folder: Path, name: str, text: str, items: list[dict], tsv: str, meta: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    gold = {"page": f"{name}.txt", "about": meta.pop("about"), **meta}
    head = json.dumps(gold, ensure_ascii=False, indent=1)[:-2]
    body = ",\n  ".join(json.dumps(it, ensure_ascii=False) for it in items)  # one item a line: small, diffable
    (folder / f"{name}.gold.json").write_text(f'{head},\n "items": [\n  {body}\n ]\n}}\n', encoding="utf-8")
    (folder / f"{name}.lines.tsv").write_text(tsv, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=int, default=15, help="dev pages per style")
    ap.add_argument("--test", type=int, default=8, help="test pages per style")
    ap.add_argument("--held", type=int, default=10, help="test pages per held-out style (none in dev)")
    ap.add_argument("--extra", type=int, default=EXTRA_PAGES, help="generated training pages per style (train-extra/)")
    ap.add_argument("--out", type=Path, default=OUT, help="where to write (the tests build into a temporary folder)")
    args = ap.parse_args()
    build(args.out, args.dev, args.test, args.held, args.extra)


def generate(style: str, docs: list[Doc], rng: random.Random):
    """One page of `style` from a random draw of `docs` (as many articles as the style sets); its builder and the
    documents used."""
    st = STYLES[style]
    lo, hi = st["articles"]
    k = rng.randint(lo, hi) + (2 if st.get("page_type") in ("roundup", "photo") else 0)
    chosen = rng.sample(docs, min(k, len(docs)))
    return build_page(style, chosen, rng), chosen


def style_pool(style: str, docs: list[Doc]) -> list[Doc]:
    """The documents a page of `style` may use: those with a headline in its script (Simplified ones are converted),
    and for web copy those without one that open with a dateline."""
    script = STYLES[style]["script"]
    return ([d for d in docs if d.script == "hans" and (d.headline or (style == "webdump" and d.dateline))]
            + [d for d in docs if script != "hans" and d.script == script and d.headline])


def build(out: Path, n_dev: int = 15, n_test: int = 8, n_held: int = 10, n_extra: int = EXTRA_PAGES) -> int:
    """Write the corpus under `out`; the number of pages (train-extra/ not counted)."""
    docs = wmt21_docs() + extra_docs()
    by_half = {half: [d for d in docs if half_of(d) == half] for half in ("dev", "test")}
    for half in ("dev", "test", EXTRA):
        shutil.rmtree(out / half, ignore_errors=True)
    manifest = ["page\thalf\tstyle\tsources\thand-written conventions"]
    for style, st in STYLES.items():
        for half in ("dev", "test"):
            n = (0 if half == "dev" else n_held) if st.get("held_out") else (n_dev if half == "dev" else n_test)
            pool = style_pool(style, by_half[half])
            for i in range(n):
                b, chosen = generate(style, pool, random.Random(f"{style}/{half}/{i}"))
                name = f"{style}-{i + 1:02d}"
                used = sorted({d.id for d in chosen})
                hand = ", ".join(sorted(b.notes)) or "—"
                meta = {"about": f"{st['about']}. Built by bench/make_layout_corpus.py from {', '.join(used)}; "
                                 f"hand-written conventions: {hand}.",
                        "style": style, "half": half, "sources": used}
                write_page(out / half, name, b.text(), b.items, b.tsv(), meta)
                manifest.append(f"{half}/{name}\t{half}\t{style}\t{' '.join(used)}\t{hand}")
    for half, name, style, text, items, tsv, about, used in special.pages(docs, half_of):
        write_page(out / half, name, text, items, tsv, {"about": about, "style": style, "half": half, "sources": used})
        manifest.append(f"{half}/{name}\t{half}\t{style}\t{' '.join(used)}\tsee about")
    (out / "MANIFEST.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    for style, st in STYLES.items():
        for i in range(0 if st.get("held_out") else n_extra):
            b, chosen = generate(style, style_pool(style, by_half["dev"]), random.Random(f"{style}/{EXTRA}/{i}"))
            write_page(out / EXTRA, f"{style}-x{i + 1:02d}", b.text(), b.items, b.tsv(),
                       {"about": f"{st['about']}. Generated training page (dev documents only): "
                                 f"{', '.join(sorted({d.id for d in chosen}))}.",
                        "style": style, "half": "dev", "sources": sorted({d.id for d in chosen})})
    print(f"{len(manifest) - 1} pages written under {out}, and {n_extra} training pages a style under {out / EXTRA}")
    return len(manifest) - 1


if __name__ == "__main__":
    main()
