"""Writing files so that a reader never sees half of one: a temporary file beside the target, synced, then a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from netops.errors import InputError


def write_atomic(path: Path, content: bytes | str, mode: int = 0o644) -> Path:
    """Write ``content`` to ``path`` atomically with permissions ``mode`` (0600 for anything secret)."""
    data = content.encode() if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # on disk before the rename makes it the file
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_all(files: dict[Path, str], key: str | None = None) -> list[Path]:
    """Write several files that belong together (a starter configuration, an inventory's three files): every
    target is checked first (a directory where a file goes, a file where a directory must be: an input error naming
    it), every file is written beside its target, and only then are they renamed into place, so a failure leaves
    none of them half-written and no new one without its siblings."""
    for path in files:
        if path.is_dir():
            raise InputError("is a directory, where a file is to be written", file=path, key=key)
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            raise InputError("is not a directory, where one is needed", file=parent, key=key)
    written: list[tuple[str, Path]] = []
    target = next(iter(files), Path("."))
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            written.append((tmp, target))
            with os.fdopen(fd, "wb") as out:
                out.write(text.encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
    except OSError as exc:
        for tmp, _ in written:
            Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror}", file=target, key=key) from None
    for tmp, target in written:
        os.replace(tmp, target)
    return list(files)
