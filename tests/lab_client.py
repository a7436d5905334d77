"""Connecting the real clients (netmiko, napalm) to lab nodes, for the lab tests."""

from __future__ import annotations

from typing import Any

from netmiko import ConnectHandler
from netmiko.linux import LinuxSSH

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


class RootShell(LinuxSSH):
    """netmiko's ``linux`` session for a login not named root whose shell is root's (the lab's OpenWrt account): the
    ``#`` shell is the login shell, not a sudo level to leave first (netmiko's logout would send ``exit`` and
    wait its read timeout for the shell below, which is not there)."""

    def cleanup(self, command: str = "exit") -> None:
        self.write_channel(command + self.RETURN)


def connect(node: NodeRuntime, **overrides: Any):
    """A netmiko session to ``node`` (privileged where the platform has an enable mode)."""
    params = netmiko_params(node, **overrides)
    conn = RootShell(**params) if params["device_type"] == "linux" else ConnectHandler(**params)
    if not conn.check_enable_mode():
        conn.enable()
    return conn


# -- wiped and replaced nodes (netops lab fault NODE wipe|replace) --------------------------------------

SHOW_CONFIG = {"cisco_xe": "show running-config", "cisco_ios": "show running-config", "cisco_wlc": "show run-config commands",
               "aruba_os": "show running-config", "aruba_instant": "show running-config", "openwrt": "uci export"}
HEADERS = ("Building configuration", "Building Configuration", "Current configuration :")


def bootstrap_params(node: NodeRuntime, **overrides: Any) -> dict[str, Any]:
    """netmiko parameters for the first login of a replaced node: its bootstrap (default) account."""
    return netmiko_params(node, username=node.bootstrap_username, password=node.bootstrap_password,
                          secret=node.bootstrap_password, **overrides)


def host_key_fingerprint(node: NodeRuntime) -> str:
    """The SHA256 fingerprint of the SSH host key ``node`` presents, as ssh-keygen prints it (paramiko)."""
    import base64
    import hashlib
    import socket

    import paramiko

    sock = socket.create_connection((node.host, node.ssh_port), timeout=10)
    transport = paramiko.Transport(sock)
    try:
        transport.start_client(timeout=10)
        key = transport.get_remote_server_key()
    finally:
        transport.close()
    return "SHA256:" + base64.b64encode(hashlib.sha256(key.asbytes()).digest()).decode().rstrip("=")


def config_lines(text: str) -> list[str]:
    """The configuration lines of a device's output, as compared after a rebuild: without the header IOS and
    AOS print before it, comment and separator lines (``!``), blank lines and trailing spaces."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
    return [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("!") and not ln.startswith(HEADERS)]


def fetch_config(conn, platform: str) -> str:
    return conn.send_command(SHOW_CONFIG[platform], read_timeout=60)


def push_config(conn, platform: str, text: str) -> str:
    """Push a whole configuration file (a lab node's ``original-config``) into a device the way an admin pastes
    it, and make it persistent: IOS-XE lines as they are; AireOS each line as ``config <line>``; AOS 8 and
    Instant with an ``exit`` where a profile ends; OpenWrt one ``uci import`` here-document per package."""
    lines = text.replace("\r\n", "\n").split("\n")
    if platform in ("cisco_xe", "cisco_ios"):
        out = conn.send_config_set([ln for ln in lines if not ln.startswith(HEADERS)], cmd_verify=False, read_timeout=120)
        conn.set_base_prompt()  # the hostname changed
        return out + conn.save_config()
    if platform == "cisco_wlc":
        out = conn.send_config_set(["config " + ln for ln in lines if ln.strip()], cmd_verify=False, read_timeout=120)
        conn.set_base_prompt()  # the sysname changed
        return out + conn.save_config()
    if platform in ("aruba_os", "aruba_instant"):
        commands, depth = [], 0
        for ln in lines:
            if not ln.strip() or ln.strip() in ("!", "end") or ln.startswith(HEADERS):
                continue
            level = 1 if ln[0].isspace() else 0
            commands += ["exit"] * (depth - level)
            commands.append(ln)
            depth = level
        commands += ["exit"] * depth
        out = conn.send_config_set(commands, cmd_verify=False, read_timeout=120)
        if platform == "aruba_instant":  # the new name shows in the prompt once committed
            out += conn.send_command("commit apply", expect_string=r"# ?$", read_timeout=60)
            conn.set_base_prompt()
            return out
        conn.set_base_prompt()
        return out + conn.save_config()
    if platform == "openwrt":
        import re

        out = []
        for block in re.split(r"^package ", text, flags=re.M)[1:]:
            name, _, body = block.partition("\n")
            heredoc = f"uci import {name.strip()} <<'EOF'\n{body.strip(chr(10))}\nEOF"
            out.append(conn.send_command(heredoc, expect_string=r":~# ?$", cmd_verify=False, read_timeout=60))
        out.append(conn.send_command("uci commit", expect_string=r":~# ?$", cmd_verify=False))
        conn.set_base_prompt()
        return "\n".join(out)
    raise ValueError(f"no way to push a configuration to {platform}")
