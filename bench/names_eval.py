"""Name finding and romanisation measured on a hand-labelled set of real news text, dev and test side by side.

    PYTHONPATH=. python bench/names_eval.py [--show-errors dev|test]

The set (bench/data/names/wmt21-names.tsv) labels every person and place name in 64 lines of the WMT21 newstest2021
zh documents. A found name counts as right when its Chinese form and kind (person/place) match a label of its line
(each distinct name once per line); romanisation exactness is the share of the rightly found names whose English
equals the label's. Recall is also given for Chinese names alone (foreign names written in Chinese, e.g. 荷台达省
Hodeidah, need a table the project does not have). Lines that open with a dateline and credit
(`新华社银川7月26日电（记者艾福梅）`) are read as the pipeline reads them: the credit by pipeline/credits.py, the rest by
pipeline/names.py. Also printed: how many of the corpus's datelines and bylines get their English by rule.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.credits import parse_byline, parse_dateline, romanize_author
from pipeline.names import PERSON, PLACE, find_names, romanize

GOLD = ROOT / "bench" / "data" / "names" / "wmt21-names.tsv"
CORPUS = ROOT.parent / "shared" / "data" / "wmt21-newstest-zh" / "newstest2021.zh-en.src.zh"
_CREDIT = re.compile(r"^[（(][^（）()]{1,30}[）)]")


def load_gold() -> tuple[list[int], dict[int, dict[tuple[str, str], tuple[str, str]]]]:
    order: list[int] = []
    gold: dict[int, dict[tuple[str, str], tuple[str, str]]] = defaultdict(dict)
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        n = int(parts[0])
        if parts[1] == "N":
            order.append(n)
            gold[n]
            continue
        zh, kind, en, origin = parts[1:5]
        gold[n][(zh, kind)] = (en, origin)
    return order, gold


def system_names(text: str) -> dict[tuple[str, str], str]:
    """What the pipeline finds in one line: a leading dateline and credit by rule, the rest by find_names."""
    out: dict[tuple[str, str], str] = {}
    dl = parse_dateline(text)
    if dl is not None:
        if dl.place:
            out[(dl.place, PLACE)] = romanize(dl.place, PLACE)
        rest = text[dl.end :].lstrip()
        m = _CREDIT.match(rest)
        if m:
            by = parse_byline(m.group(0))
            if by is not None:
                for zh, en in zip(by.authors, by.authors_en):
                    out[(zh, PERSON)] = en
                rest = rest[m.end() :]
        text = rest
    else:
        by = parse_byline(text)
        if by is not None:
            return {(zh, PERSON): en for zh, en in zip(by.authors, by.authors_en)}
    for f in find_names(text):
        out.setdefault((f.zh, f.kind), romanize(f.zh, f.kind) if f.kind == PLACE else romanize_author(f.zh))
    return out


def score(lines: list[int], gold: dict, corpus: list[str], errors: list[str] | None = None) -> dict[str, float]:
    tp = fp = fn = exact = 0
    cn_total = cn_found = 0
    per_kind: dict[str, list[int]] = {PERSON: [0, 0, 0], PLACE: [0, 0, 0]}  # tp, fp, fn
    for n in lines:
        want = gold[n]
        got = system_names(corpus[n - 1])
        for key, en in got.items():
            if key in want:
                tp += 1
                per_kind[key[1]][0] += 1
                if en == want[key][0]:
                    exact += 1
                elif errors is not None:
                    errors.append(f"{n}\tromanised\t{key[0]}\t{en!r} (want {want[key][0]!r})")
            else:
                fp += 1
                per_kind[key[1]][1] += 1
                if errors is not None:
                    errors.append(f"{n}\tfalse\t{key[0]}\t{key[1]}")
        for key, (_en, origin) in want.items():
            if origin == "cn":
                cn_total += 1
                cn_found += key in got
            if key not in got:
                fn += 1
                per_kind[key[1]][2] += 1
                if errors is not None:
                    errors.append(f"{n}\tmissed\t{key[0]}\t{key[1]} {origin}")

    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    return {
        "lines": len(lines), "names": tp + fn, "found": tp + fp,
        "precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn), "recall_cn": ratio(cn_found, cn_total),
        "person_p": ratio(per_kind[PERSON][0], per_kind[PERSON][0] + per_kind[PERSON][1]),
        "person_r": ratio(per_kind[PERSON][0], per_kind[PERSON][0] + per_kind[PERSON][2]),
        "place_p": ratio(per_kind[PLACE][0], per_kind[PLACE][0] + per_kind[PLACE][1]),
        "place_r": ratio(per_kind[PLACE][0], per_kind[PLACE][0] + per_kind[PLACE][2]),
        "romanisation_exact": ratio(exact, tp),
    }


def credit_coverage(corpus: list[str]) -> tuple[int, int, int]:
    """(lines opening with a dateline, of those whose dateline and bracketed credit are all read by rule,
    standalone credit lines read by rule)."""
    datelines = full = standalone = 0
    for text in corpus:
        dl = parse_dateline(text)
        if dl is not None:
            datelines += 1
            rest = text[dl.end :].lstrip()
            m = _CREDIT.match(rest)
            if not m or parse_byline(m.group(0)) is not None:
                full += 1
        elif len(text) <= 40 and parse_byline(text) is not None:
            standalone += 1
    return datelines, full, standalone


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-errors", choices=("dev", "test"), help="list the errors of one half")
    args = ap.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"{CORPUS} not found: the WMT21 documents live in ../shared/data (see its README).")
    corpus = CORPUS.read_text(encoding="utf-8").splitlines()
    order, gold = load_gold()
    halves = {"dev": order[0::2], "test": order[1::2]}
    errors: dict[str, list[str]] = {"dev": [], "test": []}
    results = {h: score(lines, gold, corpus, errors[h]) for h, lines in halves.items()}
    keys = list(results["dev"])
    print(f"{'':22}{'dev':>10}{'test':>10}")
    for k in keys:
        fmt = (lambda v: f"{v:>10.3f}") if isinstance(results["dev"][k], float) else (lambda v: f"{v:>10d}")
        print(f"{k:22}{fmt(results['dev'][k])}{fmt(results['test'][k])}")
    datelines, full, standalone = credit_coverage(corpus)
    print(f"\nWMT21 corpus ({len(corpus)} lines): {datelines} open with a dateline, {full} of them with the dateline "
          f"and its credit read wholly by rule; {standalone} standalone credit lines (<= 40 chars) read by rule")
    if args.show_errors:
        print("\n" + "\n".join(errors[args.show_errors]))


if __name__ == "__main__":
    main()
