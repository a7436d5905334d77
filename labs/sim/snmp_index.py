"""snmpsim data files written with their indices, so agents start without indexing.

snmpsim indexes every ``.snmprec`` file at start-up, one after the other; the lab
writes each file and its index together, in parallel worker processes, and snmpsim
then finds the index up to date (newer than the file). Indices use gdbm when
available: ``dbm.dumb`` is ~14x slower to build and slower to open.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import sysconfig
import time
from pathlib import Path

from snmpsim import confdir, variation
from snmpsim.record.search.database import RecordIndex


def use_system_gdbm() -> None:
    """Load the system's ``_gdbm`` extension for this Python's ABI when ours has none
    (a pyenv Python built without gdbm, on Debian with ``python3-gdbm``)."""
    try:
        import _gdbm  # noqa: F401
    except ImportError:
        pass
    else:
        return
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    path = Path("/usr/lib") / version / "lib-dynload" / f"_gdbm{sysconfig.get_config_var('EXT_SUFFIX')}"
    if path.is_file():
        spec = importlib.util.spec_from_file_location("_gdbm", path)
        if spec and spec.loader:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            sys.modules["_gdbm"] = module


def write_indexed(path: Path, text: str, cache_dir: Path) -> None:
    """Write a ``.snmprec`` file and build its snmpsim index in ``cache_dir``."""
    path.write_text(text, encoding="utf-8")
    past = time.time() - 5  # snmpsim trusts an index only when it is newer, in whole seconds
    os.utime(path, (past, past))
    confdir.cache = str(cache_dir)
    RecordIndex(str(path), variation.RECORD_TYPES["snmprec"]).create()
