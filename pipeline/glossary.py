"""A user glossary (`--glossary FILE`): terms and names whose English the user fixes.

A TSV file (`zh<TAB>en`, `#` comments) or a TBX file (ISO 30042: each termEntry's first Chinese and first English
term). Headlines, bylines, datelines and the names list use it first; every translated unit whose Chinese holds a
term and whose English lacks the term's English is flagged `term_missing`.

With `protect` (`--protect-terms`) the term's English replaces the Chinese term in the model input: Marian models
tend to copy Latin-script spans through, so the term usually survives; whether it did is checked on the output
(`term_missing` again), because nothing guarantees it. What cannot be promised without measuring on the real
opus-mt-zh-en (no weights can be downloaded here): how often the term comes through intact, and whether a
sentence with an English word in place of a Chinese one is translated as well as before (grammar around the
term, articles, plurals). docs/output.md says the same.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .names import PERSON, PLACE, Known, _place_ok, english_has, split_person

TERM_MISSING = "term_missing"
TERM = "term"


@dataclass(frozen=True)
class Glossary:
    terms: tuple[tuple[str, str], ...]  # (zh, en), longest zh first
    protect: bool = False

    def fingerprint(self) -> str:
        """Identifies the terms and the protect setting: a run with another glossary redoes finished inputs."""
        import hashlib
        import json

        return hashlib.sha256(json.dumps([self.terms, self.protect], ensure_ascii=False).encode()).hexdigest()

    def known(self) -> dict[str, Known]:
        """The glossary as a names table, each entry a person, a place or a plain term."""
        out: dict[str, Known] = {}
        for zh, en in self.terms:
            kind = PERSON if split_person(zh) else PLACE if _place_ok(zh, None) else TERM
            out[zh] = Known(zh, en, kind)
        return out

    def exact(self, zh: str) -> str | None:
        """The glossary's English for a whole unit (`zh` stripped), if it is a term."""
        text = zh.strip()
        return next((en for z, en in self.terms if z == text), None)

    def protected(self, source: str) -> str:
        """The model input with each term replaced by its English (longest terms first)."""
        if not self.terms:
            return source
        pattern = re.compile("|".join(re.escape(z) for z, _ in self.terms))
        table = dict(self.terms)
        return pattern.sub(lambda m: f" {table[m.group(0)]} ", source).strip()

    def missing(self, zh: str, en: str) -> list[str]:
        """`zh → en` for each term in `zh` whose English is not in `en`."""
        out = []
        covered: list[tuple[int, int]] = []
        for z, e in self.terms:
            for m in re.finditer(re.escape(z), zh):
                if any(a <= m.start() < b for a, b in covered):
                    continue  # inside a longer term already checked
                covered.append((m.start(), m.end()))
                if not english_has(en, [e]):
                    out.append(f"{z} → {e}")
                break
        return out


def _tsv(text: str, path: Path) -> list[tuple[str, str]]:
    terms = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
            raise UsageError(f"{path}:{n}: a glossary line is `Chinese<TAB>English`; this one is {line[:40]!r}. Fix "
                             "or remove it (lines starting with # are comments).")
        terms.append((parts[0].strip(), parts[1].strip()))
    return terms


def _lang(el: ET.Element) -> str:
    return (el.get("{http://www.w3.org/XML/1998/namespace}lang") or el.get("lang") or "").lower()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _tbx(text: str, path: Path) -> list[tuple[str, str]]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise UsageError(f"{path}: not well-formed TBX/XML ({exc}); fix the file or give a TSV glossary "
                         "(Chinese<TAB>English per line).") from exc
    terms = []
    for entry in root.iter():
        if _local(entry.tag) not in ("termEntry", "conceptEntry"):
            continue
        found: dict[str, str] = {}
        for lang_set in entry:
            if _local(lang_set.tag) != "langSet":
                continue
            lang = _lang(lang_set)[:2]
            term = next((t.text for t in lang_set.iter() if _local(t.tag) == "term" and t.text), None)
            if term and lang in ("zh", "en") and lang not in found:
                found[lang] = term.strip()
        if "zh" in found and "en" in found:
            terms.append((found["zh"], found["en"]))
    return terms


def load_glossary(path: Path, protect: bool = False) -> Glossary:
    """Read a TSV or TBX glossary; raises UsageError saying how to fix a bad file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such glossary file; check the path given to --glossary.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the glossary ({exc}); it must be a UTF-8 text file.") from exc
    is_xml = path.suffix.lower() in (".tbx", ".xml") or text.lstrip().startswith("<")
    terms = _tbx(text, path) if is_xml else _tsv(text, path)
    if not terms:
        raise UsageError(f"{path}: the glossary holds no terms; give lines of `Chinese<TAB>English` (or TBX "
                         "termEntries with a zh and an en langSet).")
    unique = dict(terms)  # a later line wins over an earlier one
    ordered = tuple(sorted(unique.items(), key=lambda t: len(t[0]), reverse=True))
    return Glossary(ordered, protect)
