"""The words for what a run counts, in one place."""

from __future__ import annotations


def plural(n: int, singular: str, plural: str | None = None) -> str:
    """`n` and the noun for it: 1 article, 2 articles, 0 articles (`plural` where adding s is wrong)."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
