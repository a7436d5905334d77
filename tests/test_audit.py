"""The audit trail: the chain, tampering named by verify, concurrent writers, pruning, retention."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from netops import audit
from netops.audit import trail
from netops.errors import InputError
from netops.services import audit as service
from netops.settings import Settings


def _write(data_dir: Path, n: int, **kwargs) -> list[audit.Record]:
    out = []
    for i in range(n):
        rec = audit.record(data_dir, "backup", target=f"site={i}", detail={"changed": i}, **kwargs)
        assert rec is not None
        out.append(rec)
    return out


def _lines(data_dir: Path) -> list[str]:
    return audit.log_path(data_dir).read_text().splitlines()


def _put(data_dir: Path, lines: list[str]) -> None:
    audit.log_path(data_dir).write_text("".join(line + "\n" for line in lines))


def test_records_are_chained_and_sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETOPS_REASON", "TICKET-7")
    monkeypatch.setenv("SUDO_USER", "alice")
    records = _write(tmp_path, 3)
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[0].prev == "" and records[1].prev == records[0].hash and records[2].prev == records[1].hash
    first = records[0]
    assert first.reason == "TICKET-7" and first.sudo_user in ("alice", None) and first.user
    assert first.pid == os.getpid() and first.host
    assert datetime.fromisoformat(first.time).utcoffset() == timedelta(0)
    assert audit.verify(tmp_path) == []
    folder = tmp_path / "audit"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in ("audit.log", "audit.key", "audit.head"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
    key = (folder / "audit.key").read_bytes()
    assert key.hex() not in audit.log_path(tmp_path).read_text()  # the key never goes into the log
    # the explicit reason wins over the environment
    assert audit.record(tmp_path, "restore", target="jmu-acc-1", reason="INC-42").reason == "INC-42"


def test_secrets_are_masked(tmp_path: Path) -> None:
    rec = audit.record(tmp_path, "restore", target="jmu-acc-1", detail={
        "commands": ["snmp-server community s3cretcomm RO", "username admin privilege 15 secret 9 $9$abcdef",
                     "interface GigabitEthernet1/0/1", " description uplink"],
        "password": "hunter2", "nested": {"tacacs_key": "k3y"}, "keep": 3}, result="failed: bad password hunter2")
    assert rec is not None
    text = audit.log_path(tmp_path).read_text()
    for secret in ("s3cretcomm", "$9$abcdef", "hunter2", "k3y"):
        assert secret not in text
    assert rec.detail["commands"][2:] == ["interface GigabitEthernet1/0/1", " description uplink"]
    assert rec.detail["keep"] == 3


def _tampered(tmp_path: Path, change) -> list[audit.Problem]:
    _write(tmp_path, 6)
    lines = _lines(tmp_path)
    _put(tmp_path, change(lines))
    return audit.verify(tmp_path)


def test_edited_record_is_named(tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines[2] = lines[2].replace('"result":"ok"', '"result":"failed: nothing"')
        return lines

    [problem] = _tampered(tmp_path, edit)
    assert (problem.what, problem.seq, problem.line) == ("edited", 3, 3)
    assert "record 3" in str(problem) and "line 3" in str(problem)


def test_edit_with_recomputed_hashes_is_still_named(tmp_path: Path) -> None:
    """Whoever rewrites the chain with plain SHA-256 (no key) is caught at the first record changed."""
    def recompute(lines: list[str]) -> list[str]:
        out, prev = [], ""
        for number, line in enumerate(lines, 1):
            data = json.loads(line)
            if number == 4:
                data["target"] = "site=elsewhere"
            data["prev"] = prev
            data.pop("hash")
            data["hash"] = prev = hashlib.sha256(trail.canonical(data)).hexdigest()
            out.append(trail.canonical(data).decode())
        return out

    [problem] = _tampered(tmp_path, recompute)
    assert problem.what == "edited" and problem.line == 1  # not one seal matches: the first line is named


def test_deleted_record_is_named(tmp_path: Path) -> None:
    [problem] = _tampered(tmp_path, lambda lines: lines[:3] + lines[4:])
    assert (problem.what, problem.seq, problem.line) == ("deleted", 5, 4)
    assert "record 4" in problem.message


def test_deleted_tail_and_head_are_named(tmp_path: Path) -> None:
    [problem] = _tampered(tmp_path, lambda lines: lines[:4])
    assert problem.what == "deleted" and "records 5..6" in problem.message
    (tmp_path / "audit" / "audit.head").unlink()
    assert audit.verify(tmp_path)[0].what == "deleted"


def test_deleted_first_records_are_named(tmp_path: Path) -> None:
    [problem] = _tampered(tmp_path, lambda lines: lines[2:])
    assert (problem.what, problem.seq, problem.line) == ("deleted", 3, 1)


def test_inserted_record_is_named(tmp_path: Path) -> None:
    def forge(lines: list[str]) -> list[str]:
        data = json.loads(lines[2])
        data.update(seq=99, action="restore", target="jmu-core-1")
        return lines[:3] + [trail.canonical(data).decode()] + lines[3:]

    [problem] = _tampered(tmp_path, forge)
    assert (problem.what, problem.line) == ("inserted", 4)


def test_copied_record_is_named(tmp_path: Path) -> None:
    [problem] = _tampered(tmp_path, lambda lines: lines[:4] + [lines[1]] + lines[4:])
    assert (problem.what, problem.seq, problem.line) == ("inserted", 2, 5)


def test_reordered_records_are_named(tmp_path: Path) -> None:
    [problem] = _tampered(tmp_path, lambda lines: lines[:2] + [lines[3], lines[2]] + lines[4:])
    assert (problem.what, problem.seq, problem.line) == ("reordered", 4, 3)


def test_garbage_line_and_missing_key(tmp_path: Path) -> None:
    [problem] = _tampered(tmp_path, lambda lines: lines[:2] + ["not json"] + lines[3:])
    assert problem.what in ("edited", "inserted") and problem.line == 3
    (tmp_path / "audit" / "audit.key").unlink()
    assert audit.verify(tmp_path)[0].what == "key missing"
    with pytest.raises(audit.AuditError, match="restore the key"):  # never a new key for an existing log
        audit.record(tmp_path, "check", strict=True)
    assert not (tmp_path / "audit" / "audit.key").exists()


def _append_many(data_dir: str, worker: int, count: int) -> None:
    for i in range(count):
        audit.record(Path(data_dir), "check", target=f"worker-{worker}", detail={"i": i})


def test_concurrent_writers_keep_the_chain(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_many, args=(str(tmp_path), w, 25)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    records = audit.read(tmp_path)
    assert [r.seq for r in records] == list(range(1, 101))
    assert len({r.pid for r in records}) == 4
    assert audit.verify(tmp_path) == []


def _aged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, days_ago: list[int]) -> None:
    for days in days_ago:
        moment = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
        monkeypatch.setattr(trail, "now_utc", lambda moment=moment: moment)
        audit.record(tmp_path, "backup", detail={"age": days})
    monkeypatch.undo()


def test_prune_keeps_the_chain_verifiable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _aged(tmp_path, monkeypatch, [400, 300, 200, 100, 10])
    assert audit.prune(tmp_path, 180) == 3
    records = audit.read(tmp_path)
    assert records[0].anchor and records[0].seq == 3 and records[0].detail["dropped"] == 3
    assert [r.seq for r in records[1:]] == [4, 5, 6] and records[-1].action == "audit.prune"
    assert audit.verify(tmp_path) == []
    assert stat.S_IMODE(audit.log_path(tmp_path).stat().st_mode) == 0o600
    # a second prune with nothing old enough changes nothing
    assert audit.prune(tmp_path, 180) == 0 and audit.verify(tmp_path) == []
    # more records, then pruning everything down to the shortest allowed retention
    audit.record(tmp_path, "check")
    assert audit.prune(tmp_path, 50, allow_short=True) == 1  # the 100-day record; the anchor now covers 4
    assert audit.read(tmp_path)[0].detail["dropped"] == 4
    assert audit.verify(tmp_path) == []


def test_a_forged_anchor_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deleting the oldest records and writing an anchor without the key does not pass for a prune."""
    _aged(tmp_path, monkeypatch, [10, 9, 8, 7])
    lines = _lines(tmp_path)
    gone = json.loads(lines[1])
    anchor = dict(gone, action=trail.ANCHOR, detail={"dropped": 2}, mac="0" * 64)
    _put(tmp_path, [trail.canonical(anchor).decode()] + lines[2:])
    [problem] = audit.verify(tmp_path)
    assert problem.what == "edited" and problem.line == 1


def test_prune_refuses_less_than_180_days_and_a_broken_log(tmp_path: Path) -> None:
    _write(tmp_path, 2)
    with pytest.raises(InputError, match="180 days"):
        audit.prune(tmp_path, 30)
    _put(tmp_path, _lines(tmp_path)[1:])
    with pytest.raises(audit.AuditError, match="does not verify"):
        audit.prune(tmp_path, 180)


def _settings(tmp_path: Path, yaml: str) -> Settings:
    config = tmp_path / "netops.yaml"
    config.write_text(yaml)
    return Settings.resolve(env={}, config=config, data_dir=tmp_path / "data")


def test_retention_from_the_configuration(tmp_path: Path) -> None:
    assert service.retention(_settings(tmp_path, "timezone: Asia/Kolkata\n")).days == 180
    assert service.retention(_settings(tmp_path, "audit:\n  retention: 52w\n")).days == 364
    with pytest.raises(InputError) as refused:
        service.retention(_settings(tmp_path, "audit:\n  retention: 30d\n"))
    assert refused.value.key == "audit.retention" and refused.value.line == 2 and "CERT-In" in str(refused.value)
    short = _settings(tmp_path, "audit:\n  retention: 30d\n  allow_short_retention: true\n")
    assert service.retention(short).days == 30
    assert service.prune(short) == 0


def test_unwritable_trail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A read-only run warns and goes on; a changing command refuses before it pushes."""
    _write(tmp_path, 1)
    _put(tmp_path, _lines(tmp_path) + ["{truncated"])
    assert audit.record(tmp_path, "check") is None
    assert "warning" in capsys.readouterr().err
    with pytest.raises(audit.AuditError):
        audit.ready(tmp_path)
    settings = Settings.resolve(env={}, data_dir=tmp_path)
    pushed = []
    with pytest.raises(audit.AuditError), service.recorded(settings, "restore", "jmu-acc-1", changing=True):
        pushed.append("commands")
    assert pushed == []


def test_recorded_writes_failures_and_filters(tmp_path: Path) -> None:
    settings = Settings.resolve(env={}, data_dir=tmp_path)
    with pytest.raises(RuntimeError), service.recorded(settings, "backup", "site=jammu") as entry:
        entry.detail = {"devices": 3}
        raise RuntimeError("git failed\nsecond line")
    with pytest.raises(InputError), service.recorded(settings, "backup", "all"):
        raise InputError("bad filter")  # bad input: nothing ran, nothing recorded
    with service.recorded(settings, "restore", "jmu-acc-1", reason="CHG-1", changing=True) as entry:
        entry.detail = {"commands": ["interface Gi1/0/3", " shutdown"]}
    found = service.log(settings)
    assert [(r.action, r.target, r.result) for r in found.records] == [
        ("backup", "site=jammu", "failed: git failed"), ("restore", "jmu-acc-1", "ok")]
    assert [r.target for r in service.log(settings, host="jmu-*").records] == ["jmu-acc-1"]
    assert service.log(settings, action="restore").records[0].reason == "CHG-1"
    assert service.log(settings, since=datetime.now(UTC) + timedelta(minutes=1)).records == []
    assert service.verify(settings).intact and service.verify(settings).to_dict()["records"] == 2


def test_a_check_run_is_recorded(tmp_path: Path) -> None:
    """A service hook end to end without a lab: ``netops check`` of a directory of configurations."""
    from netops.services import check

    case = Path(__file__).parent / "data" / "policy" / "campus"
    settings = Settings.resolve(env={}, data_dir=tmp_path, inventory=case / "inventory",
                                policy=[case / "policy.yaml"], backup_dir=case / "configs")
    done = check.run(settings, check.CheckOptions(probes=False))
    [rec] = service.log(settings, action="check").records
    active = sum(1 for f in done.result.findings if not f.waived)
    assert rec.result == "ok" and rec.detail["run_id"] == done.meta["id"] and rec.detail["findings"] == active
    assert service.verify(settings).intact
