"""The backup repository: plain git, one file per device at ``<site>/<host>.cfg``.

Files are written atomically with mode 0600 in directories of mode 0700; a run
makes one commit listing the devices that changed, and no commit when nothing
changed. Only redacted text ever reaches this module, and git is called with
no secret in its arguments.

The secrets vault (:mod:`netops.vault`) keeps its age-encrypted entries in the same
repository under ``.vault/<site>/<host>.age`` (and a fingerprint ``.fp`` beside each),
so every commit carries the secrets of its revision; the device views here (hosts,
history, changes, grep) never look inside ``.vault/``.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from netops.errors import InputError, NetopsError
from netops.files import write_atomic

_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "netops",
    "GIT_AUTHOR_EMAIL": "netops@localhost",
    "GIT_COMMITTER_NAME": "netops",
    "GIT_COMMITTER_EMAIL": "netops@localhost",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}


@dataclass(frozen=True)
class Version:
    """One stored version of a device's configuration."""

    commit: str
    short: str
    date: str  # ISO 8601
    message: str
    path: str

    def to_dict(self) -> dict[str, str]:
        return {"commit": self.commit, "short": self.short, "date": self.date, "message": self.message, "path": self.path}


@dataclass(frozen=True)
class Change:
    """One device file changed by one commit: its unified diff (empty for the first version of a file)."""

    commit: str
    date: str  # ISO 8601, when the backup ran
    path: str  # <site>/<host>.cfg
    diff: str
    first: bool  # the file's first version: no diff, it is all new

    @property
    def host(self) -> str:
        return Path(self.path).stem

    @property
    def site(self) -> str:
        return Path(self.path).parent.name


VAULT_DIR = ".vault"  # the secrets vault's directory in the repository (netops.vault); not a site
_NOT_VAULT = f":(exclude){VAULT_DIR}"  # pathspec: device searches never look into the vault


def device_path(site: str, host: str) -> str:
    """The repository path of a device's file."""
    return f"{site or 'unassigned'}/{host}.cfg"


class GitStore:
    """A git repository of cleaned configurations."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- plumbing ---------------------------------------------------------
    def _git(self, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = os.environ | _GIT_ENV
        proc = subprocess.run(
            ["git", "-C", str(self.root), *args], input=stdin, capture_output=True, text=True, env=env, umask=0o077
        )
        if check and proc.returncode != 0:
            raise NetopsError(f"git {args[0]} failed in {self.root}: {proc.stderr.strip()}")
        return proc

    def _git_bytes(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        """git with binary output (the vault's age files), never raising: the caller reads the return code."""
        return subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, env=os.environ | _GIT_ENV, umask=0o077)

    def ensure(self) -> None:
        """Create the repository (mode 0700) on first use."""
        old = os.umask(0o077)
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not (self.root / ".git").exists():
                self._git("init", "-q", "-b", "main")
                self._git("config", "core.sharedRepository", "0600")
                self._git("config", "gc.auto", "256")
        finally:
            os.umask(old)

    # -- files ------------------------------------------------------------
    def read(self, path: str) -> str | None:
        try:
            return (self.root / path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def read_bytes(self, path: str) -> bytes | None:
        try:
            return (self.root / path).read_bytes()
        except FileNotFoundError:
            return None

    def write(self, path: str, text: str) -> None:
        """Replace ``path`` atomically (temporary file, fsync, rename), mode 0600."""
        self.write_bytes(path, text.encode("utf-8"))

    def write_bytes(self, path: str, data: bytes) -> None:
        """Replace ``path`` atomically with ``data`` (temporary file, fsync, rename), mode 0600 in directories of 0700."""
        target = self.root / path
        for parent in reversed(target.relative_to(self.root).parents[:-1]):  # each one 0700 (.vault, then .vault/<site>)
            (self.root / parent).mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(target, data, 0o600)

    def commit(self, paths: list[str], message: str) -> str | None:
        """Commit ``paths``; returns the new commit id, or None when nothing changed."""
        if not paths:
            return None
        self._git("add", "--", *paths)
        if self._git("diff", "--cached", "--quiet", check=False).returncode == 0:
            return None
        self._git("commit", "-q", "--no-verify", "-F", "-", stdin=message)
        self._git("gc", "--auto", "--quiet")
        return self._git("rev-parse", "HEAD").stdout.strip()

    # -- history ----------------------------------------------------------
    def find(self, host: str) -> str:
        """The current path of ``host``'s file; unknown hosts are an input error."""
        matches = sorted(p.relative_to(self.root).as_posix() for p in self.root.glob(f"*/{host}.cfg") if p.parent.name != VAULT_DIR)
        if not matches:
            raise InputError(f"no backup of {host!r} in {self.root}", key="host")
        return matches[0]

    def hosts(self) -> list[str]:
        """Every device with a file in the repository now."""
        return sorted(p.stem for p in self.root.glob("*/*.cfg") if p.parent.name != VAULT_DIR)

    def history(self, host: str) -> list[Version]:
        """Every stored version of ``host``, newest first."""
        self.find(host)
        out = self._git(
            "log", "--format=%x1e%H%x1f%h%x1f%aI%x1f%s", "--name-only", "--", f":(glob)*/{host}.cfg", _NOT_VAULT
        ).stdout
        versions = []
        for record in out.split("\x1e")[1:]:
            head, _, names = record.partition("\n")
            commit, short, date, message = head.split("\x1f")
            path = next((n for n in names.split("\n") if n.endswith(f"/{host}.cfg")), "")
            versions.append(Version(commit, short, date, message, path))
        return versions

    def changes(self, since: str, until: str) -> list[Change]:
        """Every device file changed by a commit made in [since, until) (ISO 8601), oldest first."""
        if not (self.root / ".git").exists():
            return []
        out = self._git("log", "--reverse", f"--since={since}", f"--until={until}", "--format=%x1e%H%x1f%aI",
                        "-p", "--no-color", "--no-ext-diff", "--no-renames", "--", "*/*.cfg", _NOT_VAULT).stdout
        changes = []
        for record in out.split("\x1e")[1:]:
            head, _, patch = record.partition("\n")
            commit, date = head.split("\x1f")
            blocks: list[list[str]] = []
            for line in patch.splitlines():
                if line.startswith("diff --git "):
                    blocks.append([line])
                elif blocks:
                    blocks[-1].append(line)
            for block in blocks:
                path = block[0].split(" b/", 1)[1]
                hunks = next((i for i, line in enumerate(block) if line.startswith("--- ")), len(block))
                first = any(line.startswith("new file mode") for line in block[:hunks])
                diff = "" if first else "\n".join(block[hunks:]) + "\n"
                changes.append(Change(commit, date, path, diff, first))
        return changes

    def resolve(self, rev: str) -> str:
        """The full commit id of ``rev`` (a commit id, tag or ``HEAD~N``)."""
        if not rev or rev.startswith("-"):
            raise InputError(f"invalid revision {rev!r}", key="rev")
        proc = self._git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        if proc.returncode != 0:
            raise InputError(f"unknown revision {rev!r} in {self.root}", key="rev")
        return proc.stdout.strip()

    def path_at(self, host: str, commit: str) -> str:
        names = self._git("ls-tree", "-r", "--name-only", commit).stdout.split("\n")
        for name in names:
            if name.endswith(f"/{host}.cfg") and name.count("/") == 1 and not name.startswith(f"{VAULT_DIR}/"):
                return name
        raise InputError(f"{host!r} has no backup at revision {commit[:12]}", key="rev")

    def version_date(self, host: str, commit: str) -> str:
        """When the version of ``host`` that ``commit`` holds was stored (ISO 8601)."""
        path = self.path_at(host, commit)
        return self._git("log", "-1", "--format=%aI", commit, "--", path).stdout.strip()

    def show(self, host: str, rev: str = "HEAD") -> str:
        """``host``'s configuration as stored at ``rev``."""
        commit = self.resolve(rev)
        return self._git("show", f"{commit}:{self.path_at(host, commit)}").stdout

    def grep(self, pattern: str, rev: str | None = None, paths: list[str] | None = None) -> list[tuple[str, int, str]]:
        """(path, line number, line) of every stored line matching ``pattern`` (POSIX extended regex, as
        ``git grep -E``) in the latest files, or at ``rev``; ``paths`` are pathspecs (default: every device)."""
        target = [self.resolve(rev)] if rev else []
        proc = self._git("grep", "-n", "-z", "-I", "--no-color", "-E", "-e", pattern, *target, "--",
                         *(paths or ["*/*.cfg"]), _NOT_VAULT, check=False)
        if proc.returncode == 1:
            return []
        if proc.returncode != 0:
            raise InputError(f"bad pattern {pattern!r}: {proc.stderr.strip()}", key="PATTERN")
        out = []
        for record in proc.stdout.splitlines():
            path, number, text = record.split("\0", 2)
            out.append((path.split(":", 1)[1] if target else path, int(number), text))
        return out

    def blob(self, commit: str, path: str) -> bytes | None:
        """The bytes of ``path`` as committed in ``commit`` (a full commit id); None when it holds no such file."""
        proc = self._git_bytes("cat-file", "blob", f"{commit}:{path}")
        return proc.stdout if proc.returncode == 0 else None

    def files_at(self, commit: str, under: str) -> list[str]:
        """Every file below the directory ``under`` in ``commit``."""
        proc = self._git("ls-tree", "-r", "--name-only", commit, "--", under, check=False)
        return [name for name in proc.stdout.split("\n") if name] if proc.returncode == 0 else []

    def last_commits(self, under: str) -> dict[str, tuple[str, str]]:
        """Per file below ``under``: the newest commit that changed it and that commit's date (ISO 8601)."""
        if not (self.root / ".git").exists() or self._git("rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode:
            return {}
        out = self._git("log", "--format=%x1e%H%x1f%aI", "--name-only", "--no-renames", "--", under).stdout
        newest: dict[str, tuple[str, str]] = {}
        for record in out.split("\x1e")[1:]:
            head, _, names = record.partition("\n")
            commit, date = head.split("\x1f")
            for name in names.split("\n"):
                if name and name not in newest:
                    newest[name] = (commit, date)
        return newest

    def diff(self, host: str, old: str, new: str) -> str:
        """Unified diff of ``host``'s configuration between two revisions."""
        a, b = self.resolve(old), self.resolve(new)
        return self._git(
            "diff", "--no-color", "--no-ext-diff", f"{a}:{self.path_at(host, a)}", f"{b}:{self.path_at(host, b)}"
        ).stdout
