"""Writing outputs safely: atomically, and never over an input."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import ClaimdiffError


def check_output_name(path: str | os.PathLike) -> Path:
    """The path, if its name can be written and shown; a line break in a file name breaks every listing
    and log line that names it."""
    target = Path(path)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in str(target)):
        raise ClaimdiffError(f"{str(target)!r}: the output name holds a line break or control character")
    return target


def make_folder(path: str | os.PathLike) -> Path:
    """Create an output folder (and its parents), or say in one line why not."""
    folder = check_output_name(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ClaimdiffError(f"{folder}: cannot create the output folder: {e.strerror or e}") from None
    return folder


def write_atomic(path: str | os.PathLike, data: bytes, inputs: Iterable[str | os.PathLike] = ()) -> Path:
    """Write data to path through a temporary file in the same folder and a rename, so that a failure
    half-way leaves the previous file as it was and no half-written file behind."""
    target = check_output_name(path)
    resolved = target.resolve()
    for source in inputs:
        src = Path(source).resolve()
        if resolved == src or (src.is_dir() and resolved.is_relative_to(src) and resolved.exists()
                               and _is_article(resolved)):
            raise ClaimdiffError(f"{target}: refusing to overwrite an input file")
    folder = resolved.parent
    if not folder.is_dir():
        raise ClaimdiffError(f"{target}: the folder {folder} does not exist")
    if target.is_dir():
        raise ClaimdiffError(f"{target}: is a folder, not a file")
    if target.exists() and not target.is_file():
        # A FIFO, a socket or a device node: replacing it with a file would break what uses it.
        raise ClaimdiffError(f"{target}: is not a regular file; refusing to replace it")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as e:
        raise ClaimdiffError(f"{target}: cannot write in {folder}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            # Keep the permissions the user gave the file they are replacing.
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as e:
        _remove(tmp)
        raise ClaimdiffError(f"{target}: cannot write: {e.strerror or e}") from None
    except BaseException:
        _remove(tmp)
        raise
    return target


def _is_article(path: Path) -> bool:
    from .ingest import SUPPORTED

    return path.suffix.lower() in SUPPORTED


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
