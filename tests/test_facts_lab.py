"""``netops inventory facts`` against the lab: every SSH-managed device's facts and the controllers' APs are stored,
the software policy reads them, and a device that does not answer is a failure, never empty facts."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

import pytest

from labs.state import LabState
from netops import defaults
from netops.backup.fetch import FetchOptions
from netops.facts import store
from netops.facts.collect import collect
from netops.inventory import Filters, open_nornir
from netops.policy.software import load_lifecycle
from netops.results import Status
from netops.settings import Settings

pytestmark = [pytest.mark.lab, pytest.mark.slow]


def test_facts_of_every_ssh_managed_device_and_the_controllers_aps(lab: LabState, netops_cli, tmp_path: Path) -> None:
    env = {"NETOPS_DATA_DIR": str(tmp_path / "data")}
    code, out, err = netops_cli("inventory", "list", "--json", env=env)
    assert code == 0, err
    inventory = {h["name"]: h for h in json.loads(out)}
    managed = {n for n, h in inventory.items() if h["ssh_managed"]}
    aps = {n for n, h in inventory.items() if h["role"] == "ap" and not h["ssh_managed"]}

    code, out, err = netops_cli("inventory", "facts", "--json", env=env)
    assert out, err
    run = json.loads(out)
    results = {d["host"]: d for d in run["devices"]}
    assert code == 0, [(d["host"], d["status"], d["reason"]) for d in run["devices"] if d["status"] != "ok"]
    assert set(results) == managed
    table = load_lifecycle(defaults.path("policy", "lifecycle.yaml"))
    for name, device in results.items():
        assert device["status"] == "ok" and device["model"] and device["os_version"] and device["os_name"], device
        assert table.find(device["model"]) is table.find(inventory[name]["model"]) is not None, (name, device["model"])
    assert run["changes"] == []  # a first run: nothing changed

    code, out, err = netops_cli("inventory", "facts", "--stored", "--json", env=env)
    assert code == 0, err
    stored = json.loads(out)
    assert {d["name"] for d in stored["devices"]} == managed
    listed = {a["name"]: a for a in stored["aps"]}
    assert aps <= set(listed), sorted(aps - set(listed))  # every AP of the inventory, from its controller's list
    for name in aps:
        assert listed[name]["controller"] in managed and listed[name]["model"], listed[name]

    (tmp_path / "configs").mkdir()  # no configuration: only the rules on facts have anything to read
    code, out, err = netops_cli("check", "--backup-dir", str(tmp_path / "configs"), "--json", env=env)
    assert out, err
    report = json.loads(out)
    software = [f for f in report["findings"] if f["kind"] == "software"]
    assert software == []  # the lab runs the approved versions; no end of support is published for its models
    unread = [n for n in report["notices"] if n["kind"] in ("no-facts", "unreadable-version") and n["host"] in managed]
    assert unread == []


def test_a_device_that_does_not_answer_is_a_failure_and_keeps_its_facts(lab: LabState, tmp_path: Path) -> None:
    settings = Settings.resolve().override(data_dir=str(tmp_path))
    nr = open_nornir(settings, Filters.of(hosts=["jmu-acc-1", "jmu-acc-2"]))
    [good] = [r for r in collect(nr, FetchOptions(timeout=20)) if r.host == "jmu-acc-1"]
    assert good.status is Status.OK
    with closing(store.open_db(tmp_path)) as conn:
        store.save(conn, [good])
    nr.inventory.hosts["jmu-acc-1"].port = 1  # nothing listens there
    results = {r.host: r for r in collect(nr, FetchOptions(timeout=10))}
    assert results["jmu-acc-1"].status is Status.FAILED and results["jmu-acc-1"].payload is None
    assert results["jmu-acc-1"].reason, results["jmu-acc-1"]
    assert results["jmu-acc-2"].status is Status.OK
    with closing(store.open_db(tmp_path)) as conn:
        assert store.save(conn, results.values()) == []
        assert store.by_host(conn)["jmu-acc-1"].facts == good.payload  # the last good facts, not empty ones
        assert store.attempts(conn)["jmu-acc-1"]["status"] == "failed"
