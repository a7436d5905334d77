"""The plan a stopped push leaves (netops/backup/recovery.py), and the lab's push faults, without a lab."""

from __future__ import annotations

import stat

import pytest

from labs.sim.faults import Faults, check_fault
from netops.backup.recovery import build, load, unsent, write
from netops.drivers import get_driver
from netops.drivers.push import Progress
from netops.errors import InputError

BEFORE = "hostname old\n!\nvlan 666\n name intruder\n!\ninterface Gi1/0/2\n description WRONG\n!\nend\n"
INTENDED = "hostname core1\n!\nvlan 110\n name STAFF\n!\ninterface Gi1/0/2\n description USER\n!\nend\n"
COMMANDS = ["no vlan 666", "hostname core1", "vlan 110", " name STAFF", " exit",
            "interface Gi1/0/2", " no description WRONG", " description USER", " exit"]


def test_a_push_stopped_inside_a_section_resumes_inside_it() -> None:
    progress = Progress(COMMANDS, applied=COMMANDS[:6], failed=COMMANDS[6], error="connection lost")
    assert progress.not_sent == COMMANDS[7:]
    assert unsent(progress) == ["interface Gi1/0/2", *COMMANDS[6:]]


def test_finish_and_rollback_come_from_the_device_read_after_the_failure() -> None:
    progress = Progress(COMMANDS, applied=COMMANDS[:4], failed=COMMANDS[4], error="connection lost")
    after = "hostname core1\n!\nvlan 110\n name STAFF\n!\ninterface Gi1/0/2\n description WRONG\n!\nend\n"
    plan = build(get_driver("cisco_xe"), "restore", "core1", progress, "connection lost", BEFORE, INTENDED, after, "abc")
    assert plan.applied == COMMANDS[:4] and plan.failed == " exit" and plan.not_sent == COMMANDS[5:]
    assert plan.finish == ["interface Gi1/0/2", " no description WRONG", " description USER", " exit"]
    assert plan.rollback == ["no vlan 110", "hostname old", "vlan 666", " name intruder", " exit"]
    assert plan.read_back and plan.target("rollback") == BEFORE and plan.target("resume") == INTENDED


def test_an_unreadable_device_leaves_the_unsent_lines(tmp_path) -> None:
    progress = Progress(COMMANDS, applied=COMMANDS[:6], failed=COMMANDS[6], error="connection lost")
    plan = build(get_driver("cisco_xe"), "remediate", "core1", progress, "connection lost", BEFORE, None, None)
    assert not plan.read_back and plan.rollback == [] and plan.finish == unsent(progress)
    assert plan.target("resume") is None
    path = write(plan, tmp_path)
    assert path.parent == tmp_path / "plans" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load(path, "--resume") == plan
    assert write(plan, tmp_path) != path  # two plans of one second never overwrite each other


def test_a_file_that_is_no_plan_is_bad_input(tmp_path) -> None:
    (tmp_path / "x.json").write_text('{"host": "core1"}')
    with pytest.raises(InputError, match="not a netops recovery plan"):
        load(tmp_path / "x.json", "--rollback")
    with pytest.raises(InputError, match="no such plan"):
        load(tmp_path / "missing.json", "--resume")


def test_push_faults_of_the_lab() -> None:
    faults = Faults.parse(["drop-after=3", "reject=ntp server", "ignore=shutdown"])
    assert faults.drop_after == 3
    assert faults.pushed(" ntp server 10.0.0.1 key 1") == "reject" and faults.pushed("ntp source Vlan20") is None
    assert faults.pushed(" shutdown") == "ignore" and faults.pushed(" no shutdown") is None
    for bad in ("drop-after", "drop-after=x", "reject="):
        with pytest.raises(ValueError, match="needs a value"):
            check_fault(bad)
