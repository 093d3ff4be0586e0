"""Layout recovery: a decoded page dump → articles (headlines, byline, dateline, paragraphs), photos and furniture.

Staged like trafilatura: split the page into lines with offsets (`lines.split_lines`), label each line by the
named rules of `rules.py` — alone, then in context (`lines.label_lines`) — and group the labelled lines into items,
repairing column breaks (`assemble.recover_layout`). `explain(text)` shows every line's label and rule.
"""

from .assemble import recover_layout
from .lines import Line, byline_authors, ends_sentence, explain, split_lines

__all__ = ["Line", "byline_authors", "ends_sentence", "explain", "recover_layout", "split_lines"]
