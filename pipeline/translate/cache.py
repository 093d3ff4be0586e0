"""Translation memory: a SQLite cache of finished translations, so a second run of a page calls no model.

Keyed by (model fingerprint, backend, decoding parameters, normalised source): a different model, backend or
beam size never reuses another's English. Two runs may share the file at once (WAL journal, busy timeout);
a corrupt file is set aside with a warning and a fresh one is built, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
import unicodedata
from pathlib import Path
from typing import Callable

import platformdirs

from .base import BatchPlan, Decoding, Progress, TranslationResult, Translator

ENV_VAR = "ZH_NEWS_PIPELINE_CACHE"
APP_DIR = "zh-news-pipeline"
FILE_NAME = "tm.sqlite3"
# A concurrent run holds the write lock only while it stores one page's batch (milliseconds); 30 s covers a
# slow disk without hanging forever on a stuck process.
BUSY_TIMEOUT_S = 30.0
# Bump when what a cached value means changes (guards, joining): old entries are then simply not found.
CACHE_FORMAT = 1
_TABLE = f"translations_v{CACHE_FORMAT}"
# SQLite's result codes for a file another connection holds (its primary codes, under the extended ones).
_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED

log = logging.getLogger(__name__)


def default_cache_path() -> Path:
    """$ZH_NEWS_PIPELINE_CACHE, else the platform's user cache folder (platformdirs: on Linux
    $XDG_CACHE_HOME/zh-news-pipeline, else ~/.cache/zh-news-pipeline; on macOS ~/Library/Caches/…) / tm.sqlite3."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return Path(platformdirs.user_cache_dir(APP_DIR, appauthor=False)) / FILE_NAME


def _locked(exc: BaseException) -> bool:
    """Whether an SQLite error says another connection holds the file (busy, locked): no sign of corruption."""
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if isinstance(code, int):
        return code & 0xFF in _BUSY_CODES
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def normalize_source(text: str) -> str:
    """The cache's view of a model input: NFC with whitespace runs collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def cache_key(fingerprint: str, backend: str, decoding: Decoding, source: str) -> str:
    parts = [CACHE_FORMAT, fingerprint, backend, decoding.as_dict(), normalize_source(source)]
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class TranslationMemory:
    """One cache file; `get_many`/`put_many` never raise for a broken cache, they warn and carry on without it."""

    def __init__(self, path: Path, warn: Callable[[str], None] = log.warning,
                 busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path).expanduser()
        self.warn = warn
        self.busy_timeout_s = busy_timeout_s
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        # A Ray actor opens the memory in one thread and translates in another: the connection is shared across
        # threads (Python's sqlite3 is built serialized), and the lock keeps one transaction at a time.
        self._lock = threading.Lock()
        try:
            self._db = self._open_waiting()
        except sqlite3.DatabaseError as exc:
            if _locked(exc):  # another run holds it past the timeout: its file is fine, leave it be
                self._disable(exc)
                return
            self._set_aside(exc)
            try:
                self._db = self._open_waiting()
            except sqlite3.Error as again:
                self._disable(again)
        except (sqlite3.Error, OSError) as exc:  # unwritable folder, …
            self._disable(exc)

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def _open_waiting(self) -> sqlite3.Connection:
        """_open, tried again while another connection holds the file, up to the busy timeout. SQLite answers
        `database is locked` at once, without waiting, where waiting could deadlock: two runs that open a new file
        together both switch it to WAL, and one may find the other's WAL index half built. (CI saw it: one of two
        processes that opened one new cache together took the lock for corruption and set the file aside.)"""
        deadline = time.monotonic() + self.busy_timeout_s
        pause = 0.01
        while True:
            try:
                return self._open()
            except sqlite3.OperationalError as exc:
                if not _locked(exc) or time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(2 * pause, 0.5)

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None,
                             check_same_thread=False)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a crash loses at most the last commit
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            db.execute(f"""CREATE TABLE IF NOT EXISTS {_TABLE} (
                key TEXT PRIMARY KEY, model TEXT, backend TEXT, decoding TEXT, source TEXT, text TEXT,
                source_tokens INTEGER, target_tokens INTEGER, notes TEXT, created REAL)""")
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self, exc: Exception) -> None:
        """Move a corrupt cache (and its WAL files) out of the way so a fresh one can be built."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                src.replace(Path(str(aside) + suffix))
        self.warn(f"the translation cache {self.path} was unreadable ({exc}); moved it to {aside} and started "
                  "a new one")

    def _disable(self, exc: Exception) -> None:
        if self._db is not None:
            self._db.close()
        self._db = None
        self.warn(f"the translation cache {self.path} cannot be used ({exc}); translating without it "
                  "(pass --cache PATH to use another file, or --no-cache)")

    def get_many(self, keys: list[str]) -> dict[str, TranslationResult]:
        """The cached results for those keys that have one."""
        with self._lock:
            return self._get_many(keys)

    def _get_many(self, keys: list[str]) -> dict[str, TranslationResult]:
        if self._db is None or not keys:
            return {}
        found: dict[str, TranslationResult] = {}
        try:
            for start in range(0, len(keys), 500):  # SQLite's bound-parameter limit
                chunk = keys[start:start + 500]
                rows = self._db.execute(
                    f"SELECT key, text, source_tokens, target_tokens, notes FROM {_TABLE} "
                    f"WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, text, src, tgt, notes in rows:
                    found[key] = TranslationResult(text, src, tgt, json.loads(notes))
        except (sqlite3.Error, ValueError) as exc:
            self._disable(exc)
            return {}
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, entries: list[tuple[str, str, TranslationResult]], model: str, backend: str,
                 decoding: Decoding) -> None:
        """Store (key, source, result) entries in one transaction."""
        with self._lock:
            self._put_many(entries, model, backend, decoding)

    def _put_many(self, entries: list[tuple[str, str, TranslationResult]], model: str, backend: str,
                  decoding: Decoding) -> None:
        if self._db is None or not entries:
            return
        dec = json.dumps(decoding.as_dict(), sort_keys=True)
        now = time.time()
        rows = [(key, model, backend, dec, source, r.text, r.source_tokens, r.target_tokens,
                 json.dumps(r.notes), now) for key, source, r in entries]
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany(f"INSERT OR REPLACE INTO {_TABLE} VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        except sqlite3.Error as exc:
            self._disable(exc)

    def __len__(self) -> int:
        if self._db is None:
            return 0
        return int(self._db.execute(f"SELECT COUNT(*) FROM {_TABLE}").fetchone()[0])

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class CachedTranslator(Translator):
    """A translator with a translation memory in front: `translate_texts` answers what the memory holds and sends
    the rest to the wrapped translator (guarded), then stores its answers. `translate` itself is never cached."""

    def __init__(self, inner: Translator, memory: TranslationMemory) -> None:
        self.inner = inner
        self.memory = memory
        self.model_id, self.backend, self.device = inner.model_id, inner.backend, inner.device
        self.converted, self.glossary = inner.converted, inner.glossary

    @property
    def decoding(self) -> Decoding:
        return self.inner.decoding

    @decoding.setter
    def decoding(self, value: Decoding) -> None:
        self.inner.decoding = value

    @property
    def model_inputs(self) -> int:
        return self.inner.model_inputs

    @model_inputs.setter
    def model_inputs(self, value: int) -> None:
        self.inner.model_inputs = value

    @property
    def fingerprint(self) -> str:
        return self.inner.fingerprint

    @property
    def cache_hits(self) -> int | None:
        return self.memory.hits

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def translate(self, sources: list[str], decoding: Decoding | None = None) -> list[TranslationResult]:
        return self.inner.translate(sources, decoding)

    def translate_texts(self, sources: list[str], plan: BatchPlan | None = None,
                        on_progress: Progress | None = None) -> tuple[list[TranslationResult], int]:
        if not self.memory.enabled:
            return self.inner.translate_texts(sources, plan, on_progress)
        keys = [cache_key(self.fingerprint, self.backend, self.decoding, s) for s in sources]
        found = self.memory.get_many(keys)
        todo = [i for i, k in enumerate(keys) if k not in found]
        fresh = self.inner.translate_texts([sources[i] for i in todo], plan, on_progress)[0] if todo else []
        self.memory.put_many([(keys[i], sources[i], r) for i, r in zip(todo, fresh)], self.model_id, self.backend,
                             self.decoding)
        by_index = dict(zip(todo, fresh))
        return [by_index[i] if i in by_index else found[k] for i, k in enumerate(keys)], len(todo)
