"""Reading input files: bytes → decoded text, with one clear error for anything that is not a text page."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, NoChineseError
from .language import has_chinese

# Pages are tens of kilobytes; a single "page" beyond this is a concatenated archive and should be split first.
MAX_INPUT_BYTES = 50 * 1024 * 1024
# Text never has this share of control bytes; binary files (images, archives) do.
MAX_CONTROL_SHARE = 0.05


@dataclass
class Decoded:
    text: str
    encoding: str
    sha256: str


def decode_bytes(data: bytes, name: str = "input") -> Decoded:
    """Decode a page: BOMs first, then UTF-8, then charset detection (GB18030, Big5, …)."""
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(f"{name}: the file is empty; give a text dump of a newspaper page.")
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: {len(data) / 1e6:.0f} MB is too large for one page; split it into pages first.")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return Decoded(data.decode(enc), enc, sha)
    try:
        text, enc = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise InputError(f"{name}: not text in any known encoding (binary file?); give a UTF-8, GB18030 or "
                             "Big5 text file.") from None
        text, enc = str(best), best.encoding
    control = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if control > MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{name}: looks like a binary file, not text; give a text dump of a newspaper page.")
    return Decoded(text, enc, sha)


def read_input(path: Path) -> Decoded:
    """Read and decode one input file."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory; give the text files inside it.") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions.") from None
    decoded = decode_bytes(data, str(path))
    if not has_chinese(decoded.text):
        raise NoChineseError(f"{path}: contains no Chinese text, so there is nothing to translate.")
    return decoded
