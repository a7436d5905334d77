"""Connecting the real clients (netmiko, napalm) to lab nodes, for the lab tests."""

from __future__ import annotations

from typing import Any

from netmiko import ConnectHandler

from labs.state import NodeRuntime
from netops.drivers import get_driver


def netmiko_params(node: NodeRuntime, **overrides: Any) -> dict[str, Any]:
    params = {
        "device_type": get_driver(node.platform).netmiko_device_type,
        "host": node.host,
        "port": node.ssh_port,
        "username": node.username,
        "password": node.password,
        "secret": node.enable_secret,
        "conn_timeout": 10,
    }
    return params | overrides


def connect(node: NodeRuntime, **overrides: Any):
    """A netmiko session to ``node`` (privileged where the platform has an enable mode)."""
    conn = ConnectHandler(**netmiko_params(node, **overrides))
    if not conn.check_enable_mode():
        conn.enable()
    return conn
