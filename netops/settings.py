"""Where netops reads and writes, resolved once from flags and environment.

Precedence: command-line flag, then environment variable, then default.

| what | flag | environment | default |
|---|---|---|---|
| inventory directory | ``--inventory`` | ``NETOPS_INVENTORY`` | ``./inventory`` |
| data directory (stores) | ``--data-dir`` | ``NETOPS_DATA_DIR`` | ``$XDG_DATA_HOME/netops`` (``~/.local/share/netops``) |
| target the running lab | ``--lab`` | ``NETOPS_LAB=1`` | off |
| lab state directory | ``--lab-dir`` | ``NETOPS_LAB_DIR`` | ``$XDG_RUNTIME_DIR/netops-lab`` or ``/tmp/netops-lab-$UID`` |
| config backup repository | ``--backup-dir`` (backup commands) | ``NETOPS_BACKUP_DIR`` | ``<data dir>/backups`` |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "netops"


def default_lab_dir() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / "netops-lab"
    return Path(f"/tmp/netops-lab-{os.getuid()}")


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    inventory_dir: Path
    data_dir: Path
    lab: bool
    lab_dir: Path

    @classmethod
    def resolve(
        cls,
        inventory_dir: Path | None = None,
        data_dir: Path | None = None,
        lab: bool | None = None,
        lab_dir: Path | None = None,
    ) -> Settings:
        env = os.environ
        return cls(
            inventory_dir=Path(inventory_dir or env.get("NETOPS_INVENTORY") or "inventory"),
            data_dir=Path(data_dir or env.get("NETOPS_DATA_DIR") or default_data_dir()),
            lab=_truthy(env.get("NETOPS_LAB")) if lab is None else lab,
            lab_dir=Path(lab_dir or env.get("NETOPS_LAB_DIR") or default_lab_dir()),
        )

    @property
    def backup_dir(self) -> Path:
        """The git repository of configuration backups."""
        return Path(os.environ.get("NETOPS_BACKUP_DIR") or self.data_dir / "backups")
