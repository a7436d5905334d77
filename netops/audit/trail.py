"""The audit log itself: append one record, read them back, verify the chain, prune old records.

Storage is ``<data dir>/audit/``:

| file | what |
|---|---|
| ``audit.log`` | JSON lines, one record each, append-only (0600; the directory 0700) |
| ``audit.key`` | the 32-byte HMAC key that seals each record (0600); never inside the log |
| ``audit.head`` | the last record's ``seq`` and ``hash``, so a cut-off tail is detected too |
| ``audit.lock`` | the ``fcntl`` lock every writer holds around read-last-record + append + fsync |

Each record carries ``prev`` (the previous record's ``hash``) and ``hash`` =
HMAC-SHA256(key, canonical JSON of the record without ``hash``). A keyed MAC
rather than a plain SHA-256: with a plain hash anyone who can edit the log can
also recompute every later hash and the chain verifies again; with the key kept
out of the log an edit needs the key as well. (Root, or the netops account
itself, can read the key: the trail detects edits by everybody else and by
tools that rewrite the log without knowing the key — copy the log off-site
for protection against the account itself.)
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import pwd
import re
import secrets
import socket
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from netops.ages import parse_age
from netops.errors import InputError, NetopsError
from netops.files import write_atomic

LOG = "audit.log"
KEY = "audit.key"
HEAD = "audit.head"
LOCK = "audit.lock"
ANCHOR = "audit.anchor"  # the action of the first line of a pruned log
MIN_DAYS = 180  # CERT-In directions of 28 April 2022: keep ICT logs 180 days
SECRET_KEYS = re.compile(r"pass(word|phrase)?|secret|key|community|token|credential", re.IGNORECASE)
MASK = "********"
# a secret written inline in a command or message: everything after the keyword is masked (over-masking a
# harmless "key-string" line costs less than one leaked password)
SECRET_WORDS = re.compile(
    r"\b(password|passwd|secret|community|key-string|passphrase|wpa-passphrase|psk|pre-shared-key|shared-secret"
    r"|auth-key|priv-key|authentication-key|key\s+[0-9])\b(\s+)\S.*$", re.IGNORECASE)


class AuditError(NetopsError):
    """The audit trail cannot be written or read (a changing command refuses to push)."""

    exit_code = 1


@dataclass(frozen=True)
class Record:
    """One line of the audit log."""

    seq: int
    time: str  # UTC, ISO 8601 with offset
    user: str  # the effective OS user
    sudo_user: str | None  # who ran sudo, when set
    host: str  # the netops server's host name
    pid: int
    action: str  # backup, check, poll, report, drill, restore, rebuild, remediate, vault.rekey, inventory.trust, ...
    target: str  # host or site ("" for all)
    detail: dict[str, Any]
    result: str  # "ok" or "failed: ..."
    reason: str | None  # --reason or NETOPS_REASON (a ticket number)
    prev: str  # the previous record's hash ("" for the first)
    hash: str
    line: int = field(default=0, compare=False)  # where it was read from (not stored)

    @property
    def when(self) -> datetime:
        """The time as an aware datetime."""
        return datetime.fromisoformat(self.time)

    @property
    def who(self) -> str:
        """``alice`` or ``root (sudo alice)``."""
        return f"{self.user} (sudo {self.sudo_user})" if self.sudo_user else self.user

    @property
    def anchor(self) -> bool:
        """The first line of a pruned log: stands for the records dropped before it."""
        return self.action == ANCHOR

    @property
    def summary(self) -> str:
        """The detail in one short line for tables: ``changed=2 commit=4f889303c66b``, ``commands=4 verified``."""
        parts = []
        for key, value in self.detail.items():
            if key in QUIET or value is None or value is False or value in ("", [], {}) or (key, value) == ("rev", "HEAD"):
                continue
            if value is True:
                parts.append(key)
            elif isinstance(value, list):
                parts.append(f"{key}={len(value)}")
            elif isinstance(value, dict):
                parts.append(f"{key}=" + ",".join(f"{k}:{v}" for k, v in value.items()))
            elif key == "commit" and isinstance(value, str):
                parts.append(f"commit={value[:12]}")
            else:
                parts.append(f"{key}={value}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The record as stored (without the line number), and its one-line ``summary``."""
        out = asdict(self)
        del out["line"]
        return out

    def to_view(self) -> dict[str, Any]:
        """:meth:`to_dict` with the one-line ``summary`` (``netops audit log --json``, the dashboard)."""
        return self.to_dict() | {"summary": self.summary}

    @classmethod
    def from_dict(cls, data: dict[str, Any], line: int = 0) -> Record:
        """A record read from the log (raises ``KeyError``/``TypeError``/``ValueError`` when malformed)."""
        return cls(**{k: data[k] for k in _FIELDS}, line=line)


QUIET = frozenset({"trigger", "policy", "configs", "config_file", "files", "dry_run", "mode", "run_id"})  # not in summary
_FIELDS = ("seq", "time", "user", "sudo_user", "host", "pid", "action", "target", "detail", "result", "reason",
           "prev", "hash")


@dataclass(frozen=True)
class Problem:
    """A break in the chain: which record (``seq``, ``line``) and ``what`` (edited, deleted, inserted, reordered,
    missing key, ...)."""

    what: str
    message: str
    seq: int | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = ", ".join(p for p in (f"record {self.seq}" if self.seq is not None else "",
                                      f"line {self.line}" if self.line else "") if p)
        return f"{LOG}{': ' + where if where else ''}: {self.what}: {self.message}"


def audit_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "audit"


def log_path(data_dir: Path) -> Path:
    return audit_dir(data_dir) / LOG


# ---------------------------------------------------------------- helpers


def mask(value: Any) -> Any:
    """``value`` with every value under a key named like password/secret/key/community/token replaced by a mask."""
    if isinstance(value, dict):
        return {str(k): (MASK if SECRET_KEYS.search(str(k)) and v not in (None, "") else mask(v))
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return mask_text(str(value))


def mask_text(text: str) -> str:
    """``text`` with whatever follows a secret keyword masked, line by line (``snmp-server community ********``)."""
    if "\n" in text:
        return "\n".join(mask_text(line) for line in text.split("\n"))
    return SECRET_WORDS.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)


def canonical(data: dict[str, Any]) -> bytes:
    """The bytes that are sealed: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def seal(key: bytes, data: dict[str, Any]) -> str:
    """HMAC-SHA256 of the record without its ``hash``."""
    body = {k: v for k, v in data.items() if k != "hash"}
    return hmac.new(key, canonical(body), hashlib.sha256).hexdigest()


def whoami() -> tuple[str, str | None]:
    """The effective OS user and, under sudo, who ran it."""
    try:
        user = pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        user = str(os.geteuid())
    sudo = os.environ.get("SUDO_USER") or None
    return user, (sudo if sudo != user else None)


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _mkdir(data_dir: Path) -> Path:
    folder = audit_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _key(data_dir: Path, create: bool) -> bytes | None:
    """The seal key; ``create``: make it when there is none yet, but never for a log that already has records
    (their seals would no longer verify: the lost key must be restored)."""
    path = audit_dir(data_dir) / KEY
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        if not create:
            return None
        log, head = audit_dir(data_dir) / LOG, audit_dir(data_dir) / HEAD
        if (log.exists() and log.stat().st_size > 0) or head.exists():
            raise AuditError(f"{path} is missing but {log} has records: restore the key from a backup of the data "
                             "directory (a new key would break every seal)") from None
        key = secrets.token_bytes(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes()
        with os.fdopen(fd, "wb") as out:
            out.write(key)
            out.flush()
            os.fsync(out.fileno())
        return key
    if len(key) < 16:
        raise AuditError(f"{path}: the audit key is damaged ({len(key)} bytes)")
    return key


@contextmanager
def _locked(data_dir: Path) -> Iterator[Path]:
    folder = _mkdir(data_dir)
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # waits: appends are short
        yield folder
    finally:
        os.close(fd)


def _last_line(path: Path) -> bytes | None:
    """The last non-empty line of ``path`` (read backwards, so a long log costs nothing)."""
    try:
        with path.open("rb") as f:
            end = f.seek(0, os.SEEK_END)
            pos, tail = end, b""
            while pos > 0:
                step = min(4096, pos)
                pos -= step
                f.seek(pos)
                tail = f.read(step) + tail
                stripped = tail.rstrip(b"\n")
                if b"\n" in stripped:
                    return stripped.rsplit(b"\n", 1)[1]
            stripped = tail.rstrip(b"\n")
            return stripped or None
    except FileNotFoundError:
        return None


def _head(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / HEAD).read_text())
    except (FileNotFoundError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_head(folder: Path, key: bytes, seq: int, digest: str) -> None:
    head = {"seq": seq, "hash": digest}
    head["mac"] = seal(key, {"head": head})
    write_atomic(folder / HEAD, json.dumps(head) + "\n", 0o600)


# ---------------------------------------------------------------- writing


def append(data_dir: Path, action: str, *, target: str = "", detail: dict[str, Any] | None = None,
           result: str = "ok", reason: str | None = None) -> Record:
    """Append one sealed record under the lock and fsync it; raises :class:`AuditError` when that fails."""
    user, sudo = whoami()
    if reason is None:
        reason = os.environ.get("NETOPS_REASON") or None
    try:
        with _locked(data_dir) as folder:
            path = folder / LOG
            key = _key(data_dir, create=True)
            assert key is not None
            last = _last_line(path)
            if last is None:
                if (folder / HEAD).exists():
                    raise AuditError(f"{path} is missing or empty but {HEAD} says records were written: "
                                     "restore the log from a backup (netops audit verify)")
                seq, prev = 1, ""
            else:
                try:
                    before = json.loads(last)
                    seq, prev = int(before["seq"]) + 1, str(before["hash"])
                except (ValueError, KeyError, TypeError) as exc:
                    raise AuditError(f"{path}: the last line is not an audit record ({exc}); "
                                     "run netops audit verify") from None
            data: dict[str, Any] = {
                "seq": seq, "time": now_utc(), "user": user, "sudo_user": sudo, "host": socket.gethostname(),
                "pid": os.getpid(), "action": action, "target": target or "", "detail": mask(detail or {}),
                "result": mask_text(result), "reason": reason, "prev": prev,
            }
            data["hash"] = seal(key, data)
            line = canonical(data) + b"\n"
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(f"short write ({written} of {len(line)} bytes)")
                os.fsync(fd)
            finally:
                os.close(fd)
            _write_head(folder, key, seq, data["hash"])
            return Record.from_dict(data)
    except OSError as exc:
        raise AuditError(f"cannot write the audit trail {log_path(data_dir)}: {exc}") from None


def record(data_dir: Path, action: str, *, target: str = "", detail: dict[str, Any] | None = None,
           result: str = "ok", reason: str | None = None, strict: bool = False) -> Record | None:
    """Record one run or change in the audit trail (the one call every service makes, at the end, with its result).

    ``detail`` is JSON (commands, counts, ids; the caller masks secrets, and any value under a key named like
    password/secret/key/community/token is masked here as well). ``reason`` defaults to ``NETOPS_REASON``.

    A record that cannot be written never loses the run's own result: the warning goes to stderr and the call
    returns None. ``strict=True`` raises :class:`AuditError` instead; changing commands call :func:`ready` before
    they push, so they refuse up front when the trail is not writable.
    """
    try:
        return append(data_dir, action, target=target, detail=detail, result=result, reason=reason)
    except AuditError as exc:
        if strict:
            raise
        print(f"netops: warning: {exc} (the {action} run itself is unaffected)", file=sys.stderr)
        return None


def ready(data_dir: Path) -> None:
    """Raise :class:`AuditError` unless a record can be appended now (changing commands call it before a push)."""
    folder = audit_dir(data_dir)
    try:
        with _locked(data_dir):
            _key(data_dir, create=True)
            path = folder / LOG
            if path.exists():
                if not os.access(path, os.W_OK):
                    raise AuditError(f"cannot write the audit trail {path}: permission denied")
                last = _last_line(path)
                if last is not None:
                    try:
                        json.loads(last)["hash"]
                    except (ValueError, KeyError, TypeError):
                        raise AuditError(f"{path}: the last line is not an audit record; "
                                         "run netops audit verify") from None
                elif (folder / HEAD).exists():
                    raise AuditError(f"{path} is empty but {HEAD} says records were written")
            elif (folder / HEAD).exists():
                raise AuditError(f"{path} is missing but {HEAD} says records were written")
            if not os.access(folder, os.W_OK):
                raise AuditError(f"cannot write the audit trail in {folder}: permission denied")
            stat = os.statvfs(folder)
            if stat.f_bavail * stat.f_frsize < 64 * 1024:
                raise AuditError(f"cannot write the audit trail in {folder}: the disk is full")
    except OSError as exc:
        raise AuditError(f"cannot write the audit trail in {folder}: {exc}") from None


# ---------------------------------------------------------------- reading


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as f:
        for number, raw in enumerate(f, 1):
            if raw.strip():
                yield number, raw.rstrip(b"\n")


def read(data_dir: Path) -> list[Record]:
    """Every record, oldest first (lines that are not records are skipped: :func:`verify` names them)."""
    path = log_path(data_dir)
    if not path.exists():
        return []
    out = []
    for number, raw in _lines(path):
        try:
            out.append(Record.from_dict(json.loads(raw), line=number))
        except (ValueError, KeyError, TypeError):
            continue
    return out


def _anchor_seal(key: bytes, data: dict[str, Any]) -> str:
    """An anchor keeps the ``hash`` of the record it stands for; its own seal is ``mac``."""
    body = {k: v for k, v in data.items() if k not in ("hash", "mac")}
    return seal(key, body | {"anchor_hash": data.get("hash")})


def _valid(key: bytes, data: dict[str, Any]) -> bool:
    if data.get("action") == ANCHOR:
        return hmac.compare_digest(_anchor_seal(key, data), str(data.get("mac", "")))
    return hmac.compare_digest(seal(key, data), str(data.get("hash", "")))


def verify(data_dir: Path) -> list[Problem]:
    """The first break of the chain, named (``seq``, ``line``, what: edited, deleted, inserted, reordered); [] when
    the log is intact.

    Verification stops at the first break: after it, the order of what follows can no longer be trusted.
    """
    folder = audit_dir(data_dir)
    path = folder / LOG
    head = _head(folder)
    if not path.exists():
        if head:
            return [Problem("deleted", f"the log is missing but {HEAD} says {head.get('seq')} records were written",
                            seq=head.get("seq"))]
        return []
    key = _key(data_dir, create=False)
    if key is None:
        return [Problem("key missing", f"{KEY} is missing: the records cannot be verified (restore it from a "
                                       "backup of the data directory)")]
    entries: list[tuple[int, dict[str, Any] | None]] = []
    for number, raw in _lines(path):
        try:
            data = json.loads(raw)
            Record.from_dict(data, line=number)
            entries.append((number, data))
        except (ValueError, KeyError, TypeError):
            entries.append((number, None))
    valid = [d is not None and _valid(key, d) for _, d in entries]
    seqs = {int(d["seq"]) for (_, d), ok in zip(entries, valid, strict=True) if d is not None and ok}

    last_seq: int | None = None
    last_hash = ""
    seen: dict[str, int] = {}  # hash -> seq of the records verified so far
    for i, (number, data) in enumerate(entries):
        nxt = entries[i + 1][1] if i + 1 < len(entries) else None
        if data is None or not valid[i]:
            seq = data.get("seq") if data is not None else None
            if nxt is not None and valid[i + 1] and nxt.get("prev") == last_hash and last_seq is not None \
                    and nxt.get("seq") == last_seq + 1:
                return [Problem("inserted", "a line that is not part of the chain was inserted here", seq=seq,
                                line=number)]
            if data is None:
                return [Problem("edited", "the line is not an audit record any more", line=number)]
            return [Problem("edited", "the record does not match its seal (its content was changed)", seq=seq,
                            line=number)]
        seq = int(data["seq"])
        if i == 0 and data["action"] == ANCHOR:  # a pruned log starts with its anchor
            last_seq, last_hash = seq, data["hash"]
            continue
        if last_seq is None:
            if seq != 1 or data["prev"] != "":
                return [Problem("deleted", f"the log starts at record {seq}: the records before it were removed "
                                           "(a pruned log starts with its anchor)", seq=seq, line=number)]
        elif data["hash"] in seen:
            return [Problem("inserted", f"a copy of record {seen[data['hash']]} was inserted after record {last_seq}",
                            seq=seq, line=number)]
        elif seq <= last_seq:
            return [Problem("reordered", f"record {seq} comes after record {last_seq}", seq=seq, line=number)]
        elif seq > last_seq + 1:
            missing = range(last_seq + 1, seq)
            if any(s in seqs for s in missing):
                return [Problem("reordered", f"record {seq} comes before record {last_seq + 1}", seq=seq, line=number)]
            gap = f"record {last_seq + 1}" if len(missing) == 1 else f"records {last_seq + 1}..{seq - 1}"
            return [Problem("deleted", f"{gap} before this one removed", seq=seq, line=number)]
        elif data["prev"] != last_hash:
            return [Problem("edited", f"its link to record {last_seq} does not match", seq=seq, line=number)]
        last_seq, last_hash = seq, data["hash"]
        seen[last_hash] = seq

    if head is not None:
        if not hmac.compare_digest(seal(key, {"head": {"seq": head.get("seq"), "hash": head.get("hash")}}),
                                   str(head.get("mac", ""))):
            return [Problem("edited", f"{HEAD} does not match its seal")]
        if last_seq is None or int(head["seq"]) > last_seq:
            first = (last_seq or 0) + 1
            gap = f"record {first}" if first == head["seq"] else f"records {first}..{head['seq']}"
            return [Problem("deleted", f"{gap} at the end of the log removed", seq=head["seq"])]
        if int(head["seq"]) == last_seq and head.get("hash") != last_hash:
            return [Problem("edited", "the last record is not the one last written", seq=last_seq,
                            line=entries[-1][0])]
    elif entries:
        return [Problem("deleted", f"{HEAD} is missing: records at the end may have been removed")]
    return []


# ---------------------------------------------------------------- retention


@dataclass(frozen=True)
class Retention:
    """``audit.retention`` and ``audit.allow_short_retention``."""

    days: float = float(MIN_DAYS)
    allow_short: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def retention(section: Mapping[str, Any]) -> Retention:
    """From ``settings.section("audit")`` (entries with ``value``, ``file`` and ``line``): 180 days by default; less
    is an input error naming ``audit.retention`` unless ``audit.allow_short_retention: true``."""

    def value(entry: Any) -> Any:
        return getattr(entry, "value", entry)

    def where(entry: Any) -> dict[str, Any]:
        file = getattr(entry, "file", None)
        return {"file": str(file) if file is not None else None, "line": getattr(entry, "line", None)}

    allow_entry = section.get("allow_short_retention")
    allow = value(allow_entry) if allow_entry is not None else False
    if not isinstance(allow, bool):
        raise InputError("true or false", key="audit.allow_short_retention", **where(allow_entry))
    entry = section.get("retention")
    if entry is None:
        return Retention(float(MIN_DAYS), allow)
    days = parse_age(str(value(entry)), key="audit.retention", **where(entry)) / 86400
    if days <= 0:
        raise InputError("must be more than 0", key="audit.retention", **where(entry))
    if days < MIN_DAYS and not allow:
        raise InputError(f"{value(entry)} is shorter than the {MIN_DAYS} days the CERT-In directions require logs to "
                         "be kept (audit.allow_short_retention: true allows it)", key="audit.retention", **where(entry))
    return Retention(days, allow)


def prune(data_dir: Path, keep_days: float, *, allow_short: bool = False) -> int:
    """Drop records older than ``keep_days`` (never younger than 180 days unless ``allow_short``); returns how many.

    The new log starts with an anchor record (``action`` ``audit.anchor``) carrying the ``seq`` and ``hash`` of the
    last dropped record, sealed like any record, so the chain of what remains still verifies; the file is replaced
    atomically under the writers' lock, and the prune itself is recorded.
    """
    if keep_days < MIN_DAYS and not allow_short:
        raise InputError(f"keeping audit records {keep_days:g} days is shorter than the {MIN_DAYS} days CERT-In "
                         "directs (set audit.allow_short_retention: true to allow it)", key="audit.retention")
    cutoff = datetime.now(UTC) - timedelta(days=keep_days)
    path = log_path(data_dir)
    if not path.exists():
        return 0
    dropped = 0
    with _locked(data_dir) as folder:
        key = _key(data_dir, create=False)
        problems = verify(data_dir)
        if key is None or problems:
            raise AuditError(f"refusing to prune a log that does not verify ({problems[0]}): run netops audit verify")
        lines = list(_lines(path))
        last_dropped: dict[str, Any] | None = None
        anchor: dict[str, Any] | None = None
        keep_from = 0
        for index, (_number, raw) in enumerate(lines):
            data = json.loads(raw)
            if data.get("action") == ANCHOR:
                anchor = data
                keep_from = index + 1
                continue
            if datetime.fromisoformat(data["time"]) >= cutoff:
                break
            last_dropped = data
            dropped += 1
            keep_from = index + 1
        if last_dropped is None:
            return 0
        total = dropped + (int(anchor["detail"].get("dropped", 0)) if anchor else 0)
        user, sudo = whoami()
        head: dict[str, Any] = {
            "seq": int(last_dropped["seq"]), "time": now_utc(), "user": user, "sudo_user": sudo,
            "host": socket.gethostname(), "pid": os.getpid(), "action": ANCHOR, "target": "",
            "detail": {"dropped": total, "before": cutoff.isoformat(timespec="seconds"),
                       "first_kept": int(last_dropped["seq"]) + 1},
            "result": "ok", "reason": None, "prev": last_dropped["prev"], "hash": last_dropped["hash"],
        }
        # the anchor stands in for the last dropped record: same seq and hash, so the next record's prev still
        # links; its own seal (mac) proves it was written with the key, not made up to hide a deletion
        head["mac"] = _anchor_seal(key, head)
        body = canonical(head) + b"\n" + b"".join(raw + b"\n" for _, raw in lines[keep_from:])
        write_atomic(path, body, 0o600)
        dirfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dirfd)
        finally:
            os.close(dirfd)
    append(data_dir, "audit.prune", detail={"dropped": dropped, "before": cutoff.isoformat(timespec="seconds"),
                                            "keep_days": keep_days})
    return dropped
