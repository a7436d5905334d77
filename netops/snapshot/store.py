"""Snapshots on disk: ``<data dir>/snapshots/<name>.json``, written atomically; listed, read and deleted by name."""

from __future__ import annotations

import json
import re
from pathlib import Path

from netops.errors import InputError
from netops.files import write_atomic
from netops.snapshot.record import Snapshot

FOLDER = "snapshots"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def folder(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def check_name(name: str, key: str = "NAME") -> str:
    """``name`` when it is a usable snapshot name: letters, digits, ``.``, ``_`` and ``-``, not starting with a dot
    or a dash, at most 128 characters."""
    if not NAME.match(name) or name.endswith(".json"):
        raise InputError(f"{name!r} is not a snapshot name: use letters, digits, '.', '_' and '-' (starting with a "
                         "letter or digit, at most 128 characters)", key=key)
    return name


def path_of(data_dir: Path, name: str) -> Path:
    return folder(data_dir) / f"{check_name(name)}.json"


def names(data_dir: Path) -> list[str]:
    """Every stored snapshot's name, sorted."""
    return sorted(p.stem for p in folder(data_dir).glob("*.json") if NAME.match(p.stem) and p.is_file())


def exists(data_dir: Path, name: str) -> bool:
    return path_of(data_dir, name).is_file()


def _unknown(data_dir: Path, name: str, key: str) -> InputError:
    known = names(data_dir)
    listed = ", ".join(known[-10:]) if known else "none (take one with `netops snapshot take NAME`)"
    more = f" (the newest {len(known[-10:])} of {len(known)})" if len(known) > 10 else ""
    return InputError(f"no snapshot named {name!r}; snapshots{more}: {listed}", key=key)


def save(data_dir: Path, snapshot: Snapshot, force: bool = False) -> Path:
    """Write ``snapshot``; an existing one of the same name is an input error unless ``force``."""
    path = path_of(data_dir, snapshot.name)
    if path.exists() and not force:
        raise InputError(f"a snapshot named {snapshot.name!r} exists (add --force to replace it)", key="NAME")
    return write_atomic(path, json.dumps(snapshot.to_dict(), indent=1, sort_keys=False) + "\n")


def load(data_dir: Path, name: str, key: str = "NAME") -> Snapshot:
    """The stored snapshot ``name``; an unknown name is an input error naming the snapshots that exist."""
    path = folder(data_dir) / f"{check_name(name, key)}.json"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _unknown(data_dir, name, key) from None
    try:
        snapshot = Snapshot.from_dict(json.loads(text))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"not a snapshot netops can read: {exc}", file=path) from None
    snapshot.name = name  # the file's name is the snapshot's (a copied or renamed file is found by its new name)
    return snapshot


def listing(data_dir: Path) -> list[Snapshot]:
    """Every readable stored snapshot, oldest first (unreadable files are skipped)."""
    out = []
    for name in names(data_dir):
        try:
            out.append(load(data_dir, name))
        except InputError:
            continue
    return sorted(out, key=lambda s: (s.taken, s.name))


def delete(data_dir: Path, name: str) -> Path:
    """Remove the snapshot ``name`` (an unknown name is an input error); its former path."""
    path = path_of(data_dir, name)
    if not path.is_file():
        raise _unknown(data_dir, name, "NAME")
    path.unlink()
    return path
