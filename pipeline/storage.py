"""Where outputs go: one `OutputStore` for local folders and fsspec URIs (`file://`, `s3://`, `gs://`, …).

It holds what both engines need to write a run's outputs: the atomic write, each input folder's `Manifest`, the
claim of a folder (never another input's: the manifest names its owner), the removal of stale outputs and of a
killed run's temp files, and the lock that keeps two runs out of one local output folder.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import posixpath
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import OutputBusyError, OutputError, UsageError
from .render import dumps

log = logging.getLogger(__name__)

MANIFEST = ".pipeline-run.json"
MANIFEST_VERSION = 1
LOCK = ".pipeline-run.lock"
LOCK_INFO = ".pipeline-run.lock.json"
STDIN = "-"
STDIN_NAME = "<stdin>"
# write_atomic's temp files: `.<name>.<pid>.<random>.tmp`; the pid tells a dead run's leftovers from a live one's.
_TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files readable by their owner only; outputs get the permissions of any new file.
_FILE_MODE = 0o666 & ~_umask()


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        # No fsync: rename is atomic against a killed process, which is what a batch run meets; only a power
        # cut could leave an empty file, and fsync per file would cost more than rendering it.
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temp_files(folder: Path) -> int:
    """Delete temp files that a killed run left in `folder`; returns how many."""
    removed = 0
    for tmp in folder.glob(".*.tmp"):
        m = _TEMP.match(tmp.name)
        pid = int(m.group(1)) if m else 0
        if pid and pid != os.getpid() and _alive(pid):
            continue
        tmp.unlink(missing_ok=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def input_key(arg: str) -> str:
    """What identifies an input across runs: its absolute path (`-` for standard input)."""
    # realpath, unlike Path.resolve, does not raise on a symlink loop (that input fails when it is read).
    return STDIN if arg in (STDIN, STDIN_NAME) else os.path.realpath(os.path.abspath(arg))


# ------------------------------------------------------------------------------------------------ manifest


@dataclass
class PartRecord:
    """A finished part of an input: its folder (`.` for a one-part input), span, counts and files."""

    dir: str
    span: list[int]
    articles: int
    sentences: int
    model_inputs: int
    flags: dict[str, int]
    files: list[str]
    photos: int = 0  # of the items counted in `articles`, photos (pipeline/vocabulary.py); 0 in older records

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> PartRecord:
        return cls(str(doc["dir"]), [int(x) for x in doc["span"]], int(doc["articles"]), int(doc["sentences"]),
                   int(doc["model_inputs"]), {str(k): int(v) for k, v in doc["flags"].items()},
                   [str(f) for f in doc["files"]], int(doc.get("photos", 0)))


@dataclass
class Manifest:
    """An input folder's record of the run that writes it: written before any output (it claims the folder),
    after each part, and marked complete last; a re-run reads it to skip or resume."""

    source: dict[str, Any]  # path, key, sha256, encoding, bytes
    settings: dict[str, Any]
    settings_key: str
    complete: bool = False
    parts: list[PartRecord] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.source.get("key", "?"))

    def add(self, record: PartRecord) -> None:
        self.parts.append(record)
        self.files.extend(record.files)

    def to_json(self) -> str:
        doc = {"manifest_version": MANIFEST_VERSION, **asdict(self)}
        return dumps(doc)

    @classmethod
    def from_json(cls, text: str) -> Manifest | None:
        """None when the text is not a manifest of this version."""
        doc = json.loads(text)
        if not isinstance(doc, dict) or doc.get("manifest_version") != MANIFEST_VERSION:
            return None
        try:
            return cls(dict(doc["source"]), dict(doc["settings"]), str(doc["settings_key"]), bool(doc["complete"]),
                       [PartRecord.from_dict(p) for p in doc["parts"]], [str(f) for f in doc["files"]])
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


# ------------------------------------------------------------------------------------------------ store


class OutputStore:
    """The `--out` of a run: a local folder or an fsspec URI; picklable, so each Ray task re-opens it.

    Paths inside the store are relative, with `/`. A local folder (or `file://` URI) is written with rename; an
    object store with a temp object and a move (a copy, where an object appears whole or not at all).
    """

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.local = "://" not in spec or spec.startswith("file://")
        self.root = Path(spec[len("file://"):] if spec.startswith("file://") else spec) if self.local else None
        self._fs: Any = None
        self._base = ""
        if not self.local:
            self._filesystem()  # a bad URI is a usage error before anything runs

    def __getstate__(self) -> dict[str, Any]:
        return {"spec": self.spec}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["spec"])  # type: ignore[misc]

    def _filesystem(self) -> tuple[Any, str]:
        if self._fs is None:
            import fsspec

            try:
                self._fs, base = fsspec.core.url_to_fs(self.spec)
            except (ValueError, ImportError, OSError) as exc:
                raise UsageError(f"{self.spec}: not a location fsspec can open ({exc}); use a local folder or a URI "
                                 "such as s3://bucket/prefix (with s3fs installed), gs://bucket/prefix (gcsfs) or "
                                 "file:///abs/path.", option="out") from None
            self._base = str(base).rstrip("/")
        return self._fs, self._base

    def _local(self, rel: str) -> Path:
        assert self.root is not None
        return self.root / rel if rel not in ("", ".") else self.root

    def _remote(self, rel: str) -> str:
        return posixpath.join(self._filesystem()[1], rel) if rel not in ("", ".") else self._filesystem()[1]

    def display(self, rel: str = "") -> Path:
        """Where a folder or file is, for messages and results."""
        if self.local:
            return Path(self.spec) / rel if rel else Path(self.spec)
        return Path(f"{self.spec.rstrip('/')}/{rel}") if rel else Path(self.spec)

    # -------------------------------------------------------------------------------------------- files

    def write(self, rel: str, text: str) -> None:
        """Write a file atomically: a temp file in the same folder, then a rename (a move on object stores)."""
        if self.local:
            write_atomic(self._local(rel), text)
            return
        filesystem, _ = self._filesystem()
        path = self._remote(rel)
        folder, name = posixpath.split(path)
        filesystem.makedirs(folder, exist_ok=True)
        tmp = posixpath.join(folder, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            filesystem.pipe_file(tmp, text.encode("utf-8"))
            filesystem.mv(tmp, path)
        except BaseException:
            try:
                filesystem.rm_file(tmp)
            except (OSError, FileNotFoundError):
                pass
            raise

    def read_text(self, rel: str) -> str | None:
        """A file's text; None when there is none."""
        if self.local:
            path = self._local(rel)
            return path.read_text(encoding="utf-8") if path.is_file() else None
        filesystem, _ = self._filesystem()
        try:
            return bytes(filesystem.cat_file(self._remote(rel))).decode("utf-8")
        except FileNotFoundError:
            return None

    def is_file(self, rel: str) -> bool:
        if self.local:
            return self._local(rel).is_file()
        return bool(self._filesystem()[0].isfile(self._remote(rel)))

    def is_dir(self, rel: str) -> bool:
        if self.local:
            return self._local(rel).is_dir()
        return bool(self._filesystem()[0].isdir(self._remote(rel)))

    def exists(self, rel: str) -> bool:
        if self.local:
            return self._local(rel).exists()
        return bool(self._filesystem()[0].exists(self._remote(rel)))

    def names(self, rel: str) -> list[str]:
        """The names in a folder ([] when there is none)."""
        if self.local:
            folder = self._local(rel)
            return [p.name for p in folder.iterdir()] if folder.is_dir() else []
        filesystem, _ = self._filesystem()
        try:
            return [posixpath.basename(str(p).rstrip("/")) for p in filesystem.ls(self._remote(rel), detail=False)]
        except FileNotFoundError:
            return []

    def files_exist(self, rel: str, files: list[str]) -> bool:
        return bool(files) and all(self.is_file(posixpath.join(rel, f)) for f in files)

    # -------------------------------------------------------------------------------------------- manifests

    def manifest(self, rel: str) -> Manifest | None:
        """An input folder's manifest; None when there is none or it cannot be used."""
        where = f"{rel}/{MANIFEST}"
        try:
            text = self.read_text(where)
            return Manifest.from_json(text) if text is not None else None
        except (OSError, ValueError) as exc:
            log.warning("%s cannot be read (%s); that folder's outputs will be redone", self.display(where), exc)
            return None

    def write_manifest(self, rel: str, manifest: Manifest) -> None:
        self.write(f"{rel}/{MANIFEST}", manifest.to_json())

    def owner(self, rel: str) -> str:
        """The input a folder belongs to (its key); "" for a folder that holds nothing yet, "?" for one that holds
        files of no known input (never written over)."""
        manifest = self.manifest(rel)
        if manifest is not None:
            return manifest.key
        index = self.read_text(f"{rel}/index.json")
        if index is not None:
            # A folder written before manifests existed: its index.json names the input.
            try:
                path = json.loads(index)["source"]["path"]
            except (ValueError, KeyError, TypeError):
                return "?"
            return input_key(str(path))
        if any(not name.startswith(".") for name in self.names(rel)):
            return "?"  # someone else's files: never write over them
        return ""

    def claim(self, stem: str, key: str, claimed: set[str]) -> str:
        """The folder for an input: `<stem>`, or `<stem>-2`, -3, … when that one belongs to another input or was
        claimed by this run already: outputs never collide."""
        for n in itertools.count(1):
            rel = stem if n == 1 else f"{stem}-{n}"
            if rel in claimed or (self.exists(rel) and not self.is_dir(rel)):
                continue
            if not self.exists(rel) or self.owner(rel) in ("", key):
                claimed.add(rel)
                return rel
        raise AssertionError("unreachable")

    def prepare(self, rel: str) -> None:
        """Before an input's parts are written: its folder exists, and temp files a killed run left are gone."""
        if not self.local:
            return  # an object store has no folders, and its temp objects are moved or removed as written
        folder = self._local(rel)
        folder.mkdir(parents=True, exist_ok=True)
        for sub in [folder, *folder.glob("part-*")]:
            remove_stale_temp_files(sub)

    def remove_stale(self, rel: str, old_files: list[str], new_files: list[str]) -> None:
        """Delete outputs of an earlier run that this one did not write (the page lost articles or parts)."""
        keep = set(new_files)
        for name in old_files:
            if name in keep or name.startswith(("/", "../")) or "/../" in name:
                continue
            path = posixpath.normpath(posixpath.join(rel, name))
            if not path.startswith(f"{rel}/"):
                continue
            if self.local:
                file = self._local(path)
                file.unlink(missing_ok=True)
                parent = file.parent
                if parent != self._local(rel) and parent.is_dir() and not any(parent.iterdir()):
                    parent.rmdir()
            else:
                filesystem, _ = self._filesystem()
                try:
                    filesystem.rm_file(self._remote(path))
                except FileNotFoundError:
                    pass

    # -------------------------------------------------------------------------------------------- lock

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the output folder for this run: a second run into the same local folder stops at once with one
        line naming the first (its pid, start time and command). Object stores are not locked."""
        if not self.local:
            yield
            return
        from filelock import FileLock, Timeout

        root = self._local("")
        try:
            root.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(root / LOCK), timeout=0)
            lock.acquire()
        except Timeout:
            raise OutputBusyError(f"{root}: another run is writing into this folder ({self._holder()}); wait for "
                                  "it to finish, or choose another output folder.") from None
        except OSError as exc:
            raise OutputError(f"{root}: cannot write the outputs ({exc.strerror or exc}); check that folder's "
                              "permissions and the free disk space.") from exc
        try:
            info = {"pid": os.getpid(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                    "command": " ".join(sys.argv)}
            write_atomic(root / LOCK_INFO, dumps(info))
            yield
        finally:
            (root / LOCK_INFO).unlink(missing_ok=True)
            lock.release()

    def _holder(self) -> str:
        try:
            info = json.loads((self._local("") / LOCK_INFO).read_text(encoding="utf-8"))
            return f"pid {info['pid']}, started {info['started']}: {info['command']}"
        except (OSError, ValueError, KeyError, TypeError):
            return "its details are not written yet"
