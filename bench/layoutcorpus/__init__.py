"""A development corpus for layout recovery (issue #13): page dumps in several papers' styles, built from real
article text (WMT21 newstest documents, openly licensed news) with gold by construction.

`sources` reads and cleans the source documents and says where each came from; `styles` is the table of each
paper's conventions (data, not code); `build` lays documents out as raw page dumps (column breaks, furniture) and
writes `NAME.txt`, `NAME.gold.json` (the format of pipeline/layout/gold.py) and `NAME.lines.tsv` (one label per
non-blank line). bench/make_layout_corpus.py runs it; bench/data/layout/README.md describes the result.
"""
