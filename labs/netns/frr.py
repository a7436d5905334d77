"""FRR per router namespace: frr.conf, daemons started by hand, and the SSH login
that lands in ``vtysh`` (``sshd -i`` per connection, private passwd/shadow/etc/frr)."""

from __future__ import annotations

import ipaddress
import shutil
import subprocess
from pathlib import Path

from labs.netns.plan import RouterPlan

DAEMONS = ("zebra", "staticd", "ospfd")
FRR_BIN = Path("/usr/lib/frr")
FRR_USER = "frr"
ETC_FRR, RUN_FRR = "/etc/frr", "/run/frr"
SSHD = "/usr/sbin/sshd"


def frr_conf(router: RouterPlan) -> str:
    """The router's startup configuration: interfaces, forwarding, OSPF (hello 1 / dead 4 on the WAN)."""
    lines = ["frr defaults traditional", f"hostname {router.node}", "service integrated-vtysh-config", "ip forwarding", "!"]
    for iface in router.ifaces:
        lines.append(f"interface {iface.name}")
        if iface.vlan is not None:
            lines.append(f" description VLAN {iface.vlan}" + (f" vrf {iface.vrf}" if iface.vrf else ""))
        lines.append(f" ip address {iface.address}")
        if iface.name == "wan":
            lines += [" ip ospf network point-to-point", " ip ospf hello-interval 1", " ip ospf dead-interval 4"]
        lines.append("exit")
        lines.append("!")
    lines += ["router ospf", f" ospf router-id {router.router_id}", " passive-interface default", " no passive-interface wan"]
    for iface in router.ifaces:
        if iface.vrf is None:  # VRF-isolated subnets stay local to the campus
            lines.append(f" network {ipaddress.ip_interface(iface.address).network} area 0")
    lines += ["exit", "!", "line vty", "!", "end", ""]
    return "\n".join(lines)


def write_node(router: RouterPlan, node_dir: Path, username: str, password: str) -> None:
    """frr.conf, sshd host key and config, the login shell, and the private passwd/shadow of the lab login."""
    etc, run = node_dir / "etc", node_dir / "run"
    for path in (etc, run):
        path.mkdir(parents=True, mode=0o750)
    (etc / "frr.conf").write_text(frr_conf(router), encoding="utf-8")
    (etc / "vtysh.conf").write_text("service integrated-vtysh-config\n", encoding="utf-8")
    for path in (etc, run, etc / "frr.conf", etc / "vtysh.conf"):
        shutil.chown(path, FRR_USER, FRR_USER)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(node_dir / "ssh_host_ed25519_key")], check=True)
    crypted = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=password + "\n", capture_output=True,
                             text=True, check=True).stdout.strip()
    passwd = Path("/etc/passwd").read_text(encoding="utf-8").rstrip("\n")
    _private(node_dir / "passwd", f"{passwd}\n{username}:x:0:0:lab router:{node_dir}:{node_dir / 'login'}\n", 0o644)
    shadow = Path("/etc/shadow").read_text(encoding="utf-8").rstrip("\n")
    _private(node_dir / "shadow", f"{shadow}\n{username}:{crypted}:19000:0:99999:7:::\n", 0o600)
    _private(node_dir / "login", "#!/bin/sh\nexec /usr/bin/vtysh\n", 0o755)
    _private(node_dir / "sshd_config", "\n".join([
        f"HostKey {node_dir / 'ssh_host_ed25519_key'}", "PidFile none", "UsePAM no", "PasswordAuthentication yes",
        "KbdInteractiveAuthentication no", "PubkeyAuthentication no", "PermitRootLogin yes", f"AllowUsers {username}",
        "StrictModes no", "PrintMotd no", "PrintLastLog no", "LogLevel ERROR", "",
    ]), 0o600)
    _private(node_dir / "sshd.sh", "\n".join([
        f"hostname {router.node}",
        f"mount --bind {node_dir / 'passwd'} /etc/passwd",
        f"mount --bind {node_dir / 'shadow'} /etc/shadow",
        *_binds(node_dir),
        f"exec {SSHD} -i -f {node_dir / 'sshd_config'}", "",
    ]), 0o700)


def _private(path: Path, text: str, mode: int) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def _binds(node_dir: Path) -> list[str]:
    """The node's own /etc/frr and /run/frr, seen only inside its mount namespaces (FRR's default paths then work)."""
    return [f"mount --bind {node_dir / 'etc'} {ETC_FRR}", f"mount --bind {node_dir / 'run'} {RUN_FRR}"]


def start_command(node_dir: Path, router: RouterPlan) -> list[str]:
    """The command that starts the daemons inside the router's network namespace, under its own hostname."""
    script = [f"hostname {router.node}", *_binds(node_dir)]
    script += [f"{FRR_BIN / daemon} -d -F traditional -f {ETC_FRR}/frr.conf" for daemon in DAEMONS]
    return ["ip", "netns", "exec", router.ns, "unshare", "--uts", "--mount", "sh", "-ec", "\n".join(script)]



def ssh_command(node_dir: Path, router: RouterPlan) -> list[str]:
    """What the SSH gate runs per connection: ``sshd -i`` in the router's namespace, UTS and mount namespaces."""
    return ["ip", "netns", "exec", router.ns, "unshare", "--uts", "--mount", "sh", str(node_dir / "sshd.sh")]
