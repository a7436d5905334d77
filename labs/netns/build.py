"""Build, re-render and remove the namespace tier (root only)."""

from __future__ import annotations

import ipaddress
import json
import os
import pwd
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from labs import processes
from labs.netns import frr
from labs.netns.plan import NetnsPlan, PortPlan, RouterPlan, build_plan, render, switch_ports
from labs.netns.state import NetnsState, load, netns_dir, save
from labs.state import LabState, NodeRuntime, load_state, save_state
from netops.errors import InputError, LabError
from netops.inventory.clab import load_topology
from netops.policy.policy import Zone

OVS_SCHEMA = Path("/usr/share/openvswitch/vswitch.ovsschema")
RUN_SSHD = Path("/run/sshd")  # sshd's privilege-separation directory
STOP_TIMEOUT = 5.0
ROUTER_ROLE = "router"
ROUTER_PLATFORM = "frr"

Progress = Callable[[str], None]


def require_root() -> None:
    if os.geteuid() != 0:
        raise InputError("the namespace tier needs root (network namespaces, Open vSwitch, FRR): run as root", key="--netns")


TOOLS = ("ip", "ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "nft", "dnsmasq", "unshare", "ssh-keygen", "openssl",
         str(frr.FRR_BIN / "zebra"), frr.SSHD)


def require_tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    try:
        pwd.getpwnam(frr.FRR_USER)
    except KeyError:
        missing.append(f"user {frr.FRR_USER}")
    if missing:
        raise LabError(f"the namespace tier needs {', '.join(missing)} (scripts/install-system-deps.sh installs them)")


def sh(*args: str, input: str | None = None) -> str:
    """Run a command; its stdout, or a LabError with its stderr."""
    proc = subprocess.run(list(args), input=input, capture_output=True, text=True)
    if proc.returncode != 0:
        raise LabError(f"{' '.join(args[:6])}{' ...' if len(args) > 6 else ''}: {proc.stderr.strip() or proc.returncode}")
    return proc.stdout


def _ns(ns: str, *args: str) -> str:
    return sh("ip", "netns", "exec", ns, *args)


def _vsctl(ns_dir: Path, *args: str) -> str:
    return sh("ovs-vsctl", f"--db=unix:{ns_dir / 'ovs' / 'db.sock'}", "--timeout=10", *args)


def up(lab_dir: Path, lab: LabState, zones: dict[str, Zone], dhcp_servers: dict[str, dict[int, list[str]]],
       progress: Progress = lambda _: None) -> NetnsState:
    """Build the tier for the running lab; on any failure remove what was built and raise."""
    require_root()
    require_tools()
    lab_dir = Path(lab_dir)
    if load(lab_dir) is not None:
        raise LabError(f"the lab in {lab_dir} already has its namespace tier (netops lab down first)")
    plan = build_plan(lab_dir, lab, load_topology(lab.topology), zones, dhcp_servers)
    taken = [n for n in plan.namespaces if Path(f"/run/netns/{n}").exists()]
    if taken:
        raise LabError(f"network namespaces already exist: {', '.join(taken)} (another lab in the same directory?)")
    ns_dir = netns_dir(lab_dir)
    ns_dir.mkdir(mode=0o700)
    state = NetnsState(plan=plan, dir=str(ns_dir))
    save(state)
    try:
        _build(state, lab, ns_dir, progress)
    except BaseException:
        down(lab_dir)
        raise
    return state


def _build(state: NetnsState, lab: LabState, ns_dir: Path, progress: Progress) -> None:
    plan = state.plan
    progress("namespaces")
    for ns in plan.namespaces:
        sh("ip", "netns", "add", ns)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
    progress("Open vSwitch")
    _start_ovs(plan, ns_dir)
    progress("links and switch ports")
    _links(plan, ns_dir)
    progress("FRR routers")
    if not RUN_SSHD.exists():
        RUN_SSHD.mkdir(mode=0o755)
        state.created.append(str(RUN_SSHD))
        save(state)
    first = next(n for n in lab.nodes if n.ssh_port)
    gates = []
    next_host = max(ipaddress.ip_address(n.host) for n in lab.nodes) + 1
    for router in plan.routers:
        node_dir = ns_dir / router.node
        node_dir.mkdir(mode=0o700)
        frr.write_node(router, node_dir, first.username, first.password)
        _router_links(plan, router)
        sh(*frr.start_command(node_dir, router))
        gates.append({"host": str(next_host), "port": first.ssh_port, "command": frr.ssh_command(node_dir, router)})
        lab.nodes.append(NodeRuntime(
            name=router.node, platform=ROUTER_PLATFORM, role=ROUTER_ROLE, site=router.site, host=str(next_host),
            ssh_port=first.ssh_port, snmp_port=None, username=first.username, password=first.password,
            enable_secret=first.enable_secret, snmp_community=first.snmp_community, snmp_v3_user=first.snmp_v3_user,
            snmp_v3_auth_key=first.snmp_v3_auth_key, snmp_v3_priv_key=first.snmp_v3_priv_key,
            config_path=str(node_dir / "etc" / "frr.conf"),
            labels={"netops-platform": ROUTER_PLATFORM, "netops-role": ROUTER_ROLE, "netops-site": router.site,
                    "netops-netns": router.ns},
        ))
        next_host += 1
    progress("hosts and DHCP")
    for host in plan.hosts:
        sh("ip", "-n", host.ns, "addr", "add", host.address, "dev", "eth0")
        for net in _lab_subnets(plan):
            if ipaddress.ip_interface(host.address).network != net:
                sh("ip", "-n", host.ns, "route", "add", str(net), "via", host.gateway)
    for router in plan.routers:
        _dhcp(router, ns_dir / router.node, plan)
    progress("SSH gate")
    watch = [str(Path(n.config_path).with_name("startup-config")) for n in lab.nodes
             if any(p.node == n.name for p in plan.ports)]
    (ns_dir / "daemon.json").write_text(json.dumps({"lab_dir": str(ns_dir.parent), "gates": gates, "watch": watch}))
    with open(ns_dir / "daemon.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-m", "labs.netns.daemon", str(ns_dir / "daemon.json")],
                                stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL,
                                start_new_session=True, text=True, cwd=str(Path(__file__).resolve().parents[2]))
    state.gate_pid = proc.pid
    save(state)
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        raise LabError(f"the SSH gate did not start: {(ns_dir / 'daemon.log').read_text()[-400:]}")
    proc.stdout.close()
    save_state(ns_dir.parent, lab)


def _start_ovs(plan: NetnsPlan, ns_dir: Path) -> None:
    ovs = ns_dir / "ovs"
    ovs.mkdir(mode=0o700)
    sh("ovsdb-tool", "create", str(ovs / "conf.db"), str(OVS_SCHEMA))
    common = ["--detach", "--no-chdir"]
    _ns(plan.switch_ns, "ovsdb-server", str(ovs / "conf.db"), f"--remote=punix:{ovs / 'db.sock'}",
        f"--pidfile={ovs / 'ovsdb-server.pid'}", f"--unixctl={ovs / 'ovsdb-server.ctl'}", f"--log-file={ovs / 'ovsdb-server.log'}", *common)
    _ns(plan.switch_ns, "env", f"OVS_RUNDIR={ovs}", "ovs-vswitchd", f"unix:{ovs / 'db.sock'}", f"--pidfile={ovs / 'ovs-vswitchd.pid'}",
        f"--unixctl={ovs / 'ovs-vswitchd.ctl'}", f"--log-file={ovs / 'ovs-vswitchd.log'}", *common)
    _vsctl(ns_dir, "--no-wait", "init")
    args: list[str] = []
    for bridge in plan.bridges:
        args += ["--", "add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev"]
    _vsctl(ns_dir, *args)


def _port_args(port: PortPlan) -> list[str]:
    trunks = ",".join(map(str, port.trunks))
    return ["vlan_mode=" + port.vlan_mode, f"tag={port.tag}", f"trunks=[{trunks}]"]


def _links(plan: NetnsPlan, ns_dir: Path) -> None:
    """veth pairs for every OVS port (once per pair), then the ports with their VLAN settings."""
    made: set[tuple[str, str]] = set()
    args: list[str] = []
    for port in plan.ports:
        here, there = (plan.switch_ns, port.name), (port.peer_ns, port.peer_name)
        if there not in made:
            sh("ip", "link", "add", port.name, "netns", plan.switch_ns, "type", "veth", "peer", "name", port.peer_name, "netns", port.peer_ns)
            sh("ip", "-n", port.peer_ns, "link", "set", port.peer_name, "up")
            made.add(here)
        sh("ip", "-n", plan.switch_ns, "link", "set", port.name, "up" if port.up else "down")
        args += ["--", "add-port", port.bridge, port.name, "--", "set", "port", port.name, *_port_args(port)]
    _vsctl(ns_dir, *args)


def _router_links(plan: NetnsPlan, router: RouterPlan) -> None:
    _ns(router.ns, "sysctl", "-qw", "net.ipv4.ip_forward=1")
    names = {i.name for i in router.ifaces}
    if "dc" in names:
        sh("ip", "link", "add", "dc", "netns", router.ns, "type", "veth", "peer", "name", "eth0", "netns", router.dc_ns)
        gateway = next(i for i in router.ifaces if i.name == "dc")
        for address in router.dc_addresses:
            sh("ip", "-n", router.dc_ns, "addr", "add", f"{address}/24", "dev", "eth0")
        sh("ip", "-n", router.dc_ns, "link", "set", "eth0", "up")
        sh("ip", "-n", router.ns, "link", "set", "dc", "up")
        for net in _lab_subnets(plan):
            if net != ipaddress.ip_interface(gateway.address).network:
                sh("ip", "-n", router.dc_ns, "route", "add", str(net), "via", str(ipaddress.ip_interface(gateway.address).ip))
    if "wan" in names and router is plan.routers[-1] and len(plan.routers) > 1:
        peer = plan.routers[0]
        sh("ip", "link", "add", "wan", "netns", router.ns, "type", "veth", "peer", "name", "wan", "netns", peer.ns)
        sh("ip", "-n", router.ns, "link", "set", "wan", "up")
        sh("ip", "-n", peer.ns, "link", "set", "wan", "up")
    sh("ip", "netns", "exec", router.ns, "nft", "-f", "-", input=nft_rules(router))


def nft_rules(router: RouterPlan) -> str:
    """Forwarding only within a VRF (the lab kernel has no VRF devices); VRF interfaces reach only their own address."""
    groups: dict[str | None, list[str]] = {}
    for iface in router.ifaces:
        groups.setdefault(iface.vrf, []).append(iface.name)
    lines = ["table inet netops {", " chain forward {", "  type filter hook forward priority 0; policy drop;",
             "  ct state established,related accept"]
    for names in groups.values():
        quoted = ", ".join(f'"{n}"' for n in names)
        lines.append(f"  iifname {{ {quoted} }} oifname {{ {quoted} }} accept")
    lines += [" }", " chain input {", "  type filter hook input priority 0; policy accept;"]
    for iface in router.ifaces:
        if iface.vrf is not None:
            own = ipaddress.ip_interface(iface.address).ip
            lines.append(f'  iifname "{iface.name}" ip daddr {{ {own}, 255.255.255.255 }} accept')
            lines.append(f'  iifname "{iface.name}" drop')
    lines += [" }", "}", ""]
    return "\n".join(lines)


def _lab_subnets(plan: NetnsPlan) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    nets = {ipaddress.ip_interface(i.address).network for r in plan.routers for i in r.ifaces}
    return sorted(nets, key=lambda n: (int(n.network_address), n.prefixlen))


def _dhcp(router: RouterPlan, node_dir: Path, plan: NetnsPlan) -> None:
    """dnsmasq on the router (local scopes, relays) and on the data-centre namespace (relayed scopes)."""
    if not router.dhcp:
        return
    addresses = {i.name: ipaddress.ip_interface(i.address) for i in router.ifaces}
    conf = ["port=0", "bind-interfaces", "no-ping", "except-interface=lo", f"dhcp-leasefile={node_dir / 'router.leases'}",
            f"pid-file={node_dir / 'dnsmasq.pid'}", f"log-facility={node_dir / 'dnsmasq.log'}"]
    server = ["port=0", "bind-interfaces", "no-ping", "interface=eth0", f"dhcp-leasefile={node_dir / 'dc.leases'}",
              f"pid-file={node_dir / 'dc-dnsmasq.pid'}", f"log-facility={node_dir / 'dc-dnsmasq.log'}"]
    for scope in router.dhcp:
        iface = addresses[scope.iface]
        conf.append(f"interface={scope.iface}")
        line = f"dhcp-range={scope.start},{scope.end},{iface.netmask},1h"
        if scope.relayed:
            conf.append(f"dhcp-relay={iface.ip},{scope.server}")
            server.append(line)
        else:
            conf.append(line)
    (node_dir / "dnsmasq.conf").write_text("\n".join(conf) + "\n")
    _ns(router.ns, "dnsmasq", f"--conf-file={node_dir / 'dnsmasq.conf'}")
    if router.dc_addresses:
        (node_dir / "dc-dnsmasq.conf").write_text("\n".join(server) + "\n")
        _ns(router.dc_ns, "dnsmasq", f"--conf-file={node_dir / 'dc-dnsmasq.conf'}")


def render_ports(lab_dir: Path) -> list[str]:
    """Re-render every switch port the tier uses from its node's running configuration; the changes made."""
    state = load(Path(lab_dir))
    lab = load_state(Path(lab_dir))
    if state is None or lab is None:
        raise LabError(f"no namespace tier in {lab_dir} (netops lab up --netns)")
    require_root()
    changes: list[str] = []
    configs: dict[str, dict] = {}
    ns_dir = Path(state.dir)
    for port in state.plan.ports:
        if port.node is None or port.switch_port is None:
            continue
        if port.node not in configs:
            configs[port.node] = switch_ports(lab, port.node)
        before = (port.vlan_mode, port.tag, list(port.trunks), port.up)
        render(port, configs[port.node].get(port.switch_port))
        after = (port.vlan_mode, port.tag, list(port.trunks), port.up)
        if before == after:
            continue
        _vsctl(ns_dir, "set", "port", port.name, *_port_args(port))
        sh("ip", "-n", state.plan.switch_ns, "link", "set", port.name, "up" if port.up else "down")
        sh("ovs-appctl", f"--target={ns_dir / 'ovs' / 'ovs-vswitchd.ctl'}", "fdb/flush", port.bridge)
        changes.append(f"{port.node} {port.switch_port}{' (core side)' if port.mirror else ''}: "
                       f"{_describe(before)} -> {_describe(after)}")
    save(state)
    return changes


def _describe(settings: tuple) -> str:
    mode, tag, trunks, up = settings
    text = f"access VLAN {tag}" if mode == "access" else f"trunk native {tag} allowed {','.join(map(str, trunks))}"
    return text + ("" if up else " (shut)")


def down(lab_dir: Path) -> bool:
    """Stop every process of the tier, delete its namespaces and files; False when there was none."""
    lab_dir = Path(lab_dir)
    state = load(lab_dir)
    ns_dir = netns_dir(lab_dir)
    if state is None:
        if ns_dir.exists():
            shutil.rmtree(ns_dir)
            return True
        return False
    require_root()
    pids = [state.gate_pid] if state.gate_pid else []
    for ns in state.plan.namespaces:
        proc = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
        pids += [int(p) for p in proc.stdout.split()]
    processes.stop(pids, STOP_TIMEOUT)
    for ns in state.plan.namespaces:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    others = [p for p in Path("/run/netns").glob("nl*-sw") if p.name != state.plan.switch_ns]
    for path in state.created:
        if Path(path) == RUN_SSHD and others:
            continue  # another lab's routers still need sshd's directory
        try:
            Path(path).rmdir()
        except OSError:
            pass
    lab = load_state(lab_dir)
    if lab is not None:
        lab.nodes = [n for n in lab.nodes if n.name not in {r.node for r in state.plan.routers}]
        save_state(lab_dir, lab)
    shutil.rmtree(ns_dir, ignore_errors=True)
    return True


