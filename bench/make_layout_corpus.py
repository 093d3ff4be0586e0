"""Build the layout corpus of issue #13 into bench/data/layout/{dev,test}/: NAME.txt (the page dump),
NAME.gold.json (gold items, pipeline/layout/gold.py's format, plus "style", "half" and "sources") and NAME.lines.tsv
(each non-blank line and its label), and bench/data/layout/MANIFEST.tsv. Deterministic: the same sources give the
same files. The split is by source document and is fixed before any tuning (see bench/data/layout/README.md).

Usage: PYTHONPATH=. /work/main/.venv/bin/python bench/make_layout_corpus.py [--dev 15] [--test 8] [--held 10]
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
    ap.add_argument("--out", type=Path, default=OUT, help="where to write (the tests build into a temporary folder)")
    args = ap.parse_args()
    build(args.out, args.dev, args.test, args.held)


def build(out: Path, n_dev: int = 15, n_test: int = 8, n_held: int = 10) -> int:
    """Write the corpus under `out`; the number of pages."""
    docs = wmt21_docs() + extra_docs()
    pools: dict[tuple[str, str], list[Doc]] = {}
    for d in docs:
        pools.setdefault((half_of(d), d.script), []).append(d)
    for half in ("dev", "test"):
        shutil.rmtree(out / half, ignore_errors=True)
    manifest = ["page\thalf\tstyle\tsources\thand-written conventions"]
    for style, st in STYLES.items():
        for half in ("dev", "test"):
            n = (0 if half == "dev" else n_held) if st.get("held_out") else (n_dev if half == "dev" else n_test)
            # a document without a headline only where its dateline marks where it starts
            pool = [d for d in pools.get((half, "hans"), []) if d.headline or (style == "webdump" and d.dateline)]
            pool += [d for d in pools.get((half, st["script"]), []) if st["script"] != "hans" and d.headline]
            for i in range(n):
                rng = random.Random(f"{style}/{half}/{i}")
                lo, hi = st["articles"]
                k = rng.randint(lo, hi) + (2 if st.get("page_type") in ("roundup", "photo") else 0)
                chosen = rng.sample(pool, min(k, len(pool)))
                b = build_page(style, chosen, rng)
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
    print(f"{len(manifest) - 1} pages written under {out}")
    return len(manifest) - 1


if __name__ == "__main__":
    main()
