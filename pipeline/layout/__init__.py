"""Layout recovery: a decoded page dump → articles (headlines, byline, dateline, paragraphs), photos and furniture.

Staged like GROBID's cascade: split the page into lines with offsets (`lines.split_lines`), say what the named rules
of `rules.py` make of each line (`lines.label_lines`), label the page's lines jointly as a sequence with a
linear-chain CRF whose features are those rules and each line's shape and neighbours (`crf.py`, `features.py`),
and group the labelled lines into items, repairing column breaks (`assemble.build_items`). `explain(text)` shows
every line's rule; `crf.explain_page` its label and the features behind it.
"""

from .lines import Line, byline_authors, ends_sentence, explain, split_lines
from .recover import recover_layout

__all__ = ["Line", "byline_authors", "ends_sentence", "explain", "recover_layout", "split_lines"]
