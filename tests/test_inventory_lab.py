"""Lab mode end to end: the inventory opened in lab mode reaches every lab node
with real clients (netmiko through nornir, pysnmp) on real sockets."""

from __future__ import annotations

import asyncio
import json

import pytest
from nornir.core.task import Result, Task
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    get_cmd,
    usmAesCfb128Protocol,
    usmHMACSHAAuthProtocol,
)

from netops.inventory import Filters, open_nornir, snmp_target
from netops.model import SnmpTarget
from netops.settings import Settings

pytestmark = pytest.mark.lab

SYS_NAME = "1.3.6.1.2.1.1.5.0"


def _prompt(task: Task) -> Result:
    connection = task.host.get_connection("netmiko", task.nornir.config)
    return Result(host=task.host, result=connection.find_prompt())


def test_every_ssh_node_answers_with_its_own_prompt(lab) -> None:
    nr = open_nornir(Settings.resolve(), Filters(ssh_only=True))
    expected = {n.name for n in lab.nodes if n.ssh_port is not None}
    assert set(nr.inventory.hosts) == expected
    results = nr.run(task=_prompt)
    nr.close_connections()
    failed = {name: str(r.exception) for name, r in results.items() if r.failed}
    assert failed == {}
    for name, result in results.items():
        assert name in result.result


async def _sys_names(targets: dict[str, SnmpTarget]) -> dict[str, str]:
    engine = SnmpEngine()
    names: dict[str, str] = {}
    try:
        for host, t in targets.items():
            if t.version == "3":
                auth = UsmUserData(t.user, authKey=t.auth_key, privKey=t.priv_key,
                                   authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)
            else:
                auth = CommunityData(t.community, mpModel=1)
            transport = await UdpTransportTarget.create((t.address, t.port), timeout=t.timeout, retries=t.retries)
            error, status, _, binds = await get_cmd(engine, auth, transport, ContextData(), ObjectType(ObjectIdentity(SYS_NAME)))
            names[host] = "" if error or status else str(binds[0][1])
    finally:
        engine.close_dispatcher()
    return names


def test_snmp_targets_reach_the_lab_agents(lab) -> None:
    """v3 authPriv by default, v2c where the inventory says so (OpenWrt)."""
    nr = open_nornir(Settings.resolve(), Filters.of(hosts=["jmu-core-1", "srn-wlc-aireos", "jmu-owrt-guesthouse"]))
    targets = {name: snmp_target(h) for name, h in nr.inventory.hosts.items()}
    assert {name: t.version for name, t in targets.items()} == {"jmu-core-1": "3", "srn-wlc-aireos": "3", "jmu-owrt-guesthouse": "2c"}
    assert all(t.address.startswith("127.") for t in targets.values())
    names = asyncio.run(_sys_names(targets))
    assert names == {name: name for name in targets}


def test_inventory_list_in_lab_mode(lab, netops_cli) -> None:
    code, out, err = netops_cli("inventory", "list", "--json")
    assert code == 0, err
    rows = {r["name"]: r for r in json.loads(out)}
    assert set(rows) == {n.name for n in lab.nodes}
    node = lab.node("jmu-acc-2")
    assert (rows["jmu-acc-2"]["address"], rows["jmu-acc-2"]["port"], rows["jmu-acc-2"]["mode"]) == (node.host, node.ssh_port, "lab")
    assert node.password not in out
