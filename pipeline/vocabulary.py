"""The words for what a run counts, in one place: the CLI's line per input, the run's table, the progress bars and
the reader pages all name their counts through these helpers, so they cannot disagree.

- **item**: an article or a photo. Items are numbered a01, a02, … in page order; each has its own
  article-NN.html and article-NN.json, and the pager walks them ("item 5 of 10").
- **article**: an item with a headline and text (`kind` "article").
- **photo**: a captioned photo without a headline (`kind` "photo").
- **page furniture**: text outside every item (page headers, QR-code labels). It is not an item and is counted
  apart. (index.json's `items` array still lists it in place, with `kind` "other".)
"""

from __future__ import annotations

ARTICLE = "article"
PHOTO = "photo"


def plural(n: int, singular: str, plural: str | None = None) -> str:
    """`n` and the noun for it: 1 article, 2 articles, 0 articles (`plural` where adding s is wrong)."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def kind_word(kind: str) -> str:
    """What an item is called: photo for a photo, article for anything else."""
    return PHOTO if kind == PHOTO else ARTICLE


def item_counts(articles: int, photos: int) -> str:
    """The items of a page or a run: "9 articles, 1 photo"; photos only when there are some ("5 articles")."""
    return plural(articles, ARTICLE) + (f", {plural(photos, PHOTO)}" if photos else "")


def item_position(kind: str, number: int, items: int) -> str:
    """Where an item stands on its page: "photo · item 5 of 10"."""
    return f"{kind_word(kind)} · item {number} of {items}"


def furniture_count(pieces: int) -> str:
    return plural(pieces, "piece", "pieces") + " of page furniture"
