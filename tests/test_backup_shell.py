"""netops' own read-only session (:class:`netops.backup.session.Shell`) against the lab: on every lab device
whose driver has a ``shell`` spec, it reads exactly what netmiko reads (configuration and neighbour tables),
whether the login lands in privileged mode or needs ``enable``; other platforms keep netmiko's session."""

from __future__ import annotations

from typing import Any

import pytest
from nornir.core.task import Result, Task

from netops.backup import fetch, session
from netops.drivers import all_drivers
from netops.inventory import Filters, open_nornir
from netops.settings import Settings

pytestmark = pytest.mark.lab
OPTIONS = fetch.FetchOptions(timeout=20)


def _outputs(conn: Any, commands: tuple[str, ...]) -> list[str]:
    return [str(conn.send_command(command, read_timeout=OPTIONS.timeout)) for command in commands]


def _both(task: Task) -> Result:
    """(reader class, netmiko's outputs, the reader's outputs) on two sessions to the task's device."""
    driver = all_drivers()[task.host.platform or ""]
    assert driver.backup is not None
    commands = driver.backup.commands + (driver.neighbors.commands if driver.neighbors else ())
    try:
        netmiko = _outputs(fetch.open_session(task, driver, OPTIONS), commands)
    finally:
        fetch.close(task)
    reader = fetch.open_reader(task, driver, OPTIONS)
    try:
        return Result(host=task.host, result=(type(reader), netmiko, _outputs(reader, commands)))
    finally:
        if isinstance(reader, session.Shell):
            reader.close()
        fetch.close(task)


def test_shell_reads_what_netmiko_reads(lab) -> None:
    drivers = all_drivers()
    nr = open_nornir(Settings.resolve(), Filters.of(), workers=8)
    nr = nr.filter(filter_func=lambda h: (d := drivers.get(h.platform or "")) is not None and d.backup is not None
                   and d.netmiko_device_type is not None)
    aggregated = nr.run(task=_both, on_failed=True)
    assert not aggregated.failed_hosts, {h: repr(m[0].exception) for h, m in aggregated.failed_hosts.items()}
    results = {name: multi[0].result for name, multi in aggregated.items()}
    shell = {name for name, (kind, _, _) in results.items() if kind is session.Shell}
    assert shell == {name for name in results if drivers[nr.inventory.hosts[name].platform or ""].backup.shell}  # type: ignore[union-attr]
    assert shell and len(shell) < len(results)  # both kinds of session are in the lab
    for name, (_, netmiko, reader) in results.items():
        assert reader == netmiko, name
