"""Backup benchmark: netops against N lab switches, netops vs RANCID on a subset, memory; each figure next to its target.

    .venv/bin/python bench/backup.py [--devices 1000] [--subset 200] [--parallel 50] [--login-privilege both|15|1] [--json]

Starts its own lab (``--scale N`` generated access switches whose login lands in
privileged mode, or in user mode, where ``enable`` is needed) on --base-address,
backs all of them up with netops (wall time, CPU of this process, devices/s),
runs a second, unchanged pass, then backs up the same ``--subset`` switches
with netops and with Debian's RANCID (``rancid-run``, clogin) at the same
parallelism and prints the ratio, and measures the peak memory of one
``netops backup`` command of all N switches (PSS summed over the command and its
forked worker processes, sampled every 20 ms; the RSS sum, which counts the
pages a worker shares with its parent twice, is printed beside it). With ``--login-privilege both`` (the
default) a second lab of switches that need ``enable`` follows, for its two
full runs. Each netops run also reports the lab's CPU: netops plus lab CPU
spread over the cores is the shortest run this machine allows, since the
simulated devices share its cores. RANCID refuses root: as root it runs as
``nobody`` from a private directory (its cloginrc holds the lab credentials,
mode 0600). Only 127.0.0.0/8 is contacted.

Targets (issue 18), printed as PASS/MISS next to each figure: the privilege-15
fleet in at most 9 s, the ``enable`` fleet in at most 12 s (the slower of the
first and the unchanged run), at least 10x RANCID at equal parallelism, under
300 MB for ``netops backup``. ``--json`` prints the figures as one JSON object.
The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import labs  # noqa: E402
from labs import runner  # noqa: E402
from netops.backup.fetch import FetchOptions  # noqa: E402
from netops.backup.run import BackupOptions, BackupRun, run_backup  # noqa: E402
from netops.inventory import Filters, open_nornir  # noqa: E402
from netops.settings import Settings  # noqa: E402
from netops.vault import keys  # noqa: E402

SCALE_PREFIX = "scale-acc-"
TARGET_PRIVILEGED_S = 9.0  # 1,000 switches whose login lands in privileged mode
TARGET_ENABLE_S = 12.0  # 1,000 switches that need enable
TARGET_RANCID_RATIO = 10.0  # RANCID wall / netops wall at equal parallelism
TARGET_RSS_MB = 300.0  # peak memory of netops backup, every netops process
SAMPLE_EVERY = 0.02  # seconds between RSS samples
LOG = sys.stdout  # human-readable lines; stderr under --json


def cpu_seconds() -> float:
    """CPU of this process and its reaped children (the backup worker processes)."""
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


def lab_cpu_seconds(pids: list[int]) -> float:
    """CPU used so far by the lab's processes (supervisor, SSH workers, SNMP agents)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def netops_run(
    settings: Settings, names: list[str], workers: int, backup_dir: Path, processes: int = 1, lab_pids: Sequence[int] = (),
    vault: tuple[str, ...] = (),
) -> tuple[BackupRun, float, float, float]:
    nr = open_nornir(settings, Filters.of(hosts=names), workers=workers)
    wall, cpu, lab = time.monotonic(), cpu_seconds(), lab_cpu_seconds(list(lab_pids))
    options = BackupOptions(fetch=FetchOptions(timeout=30), processes=processes, vault_recipients=vault)
    report = run_backup(nr, backup_dir, settings.data_dir, options)
    return report, time.monotonic() - wall, cpu_seconds() - cpu, lab_cpu_seconds(list(lab_pids)) - lab


def show(label: str, report: BackupRun, wall: float, cpu: float, lab: float) -> dict[str, float]:
    """One result line; with the lab's CPU, the CPU floor of the run on this machine's cores. Returns the figures."""
    counts = report.counts()
    floor = (cpu + lab) / (os.cpu_count() or 1)
    print(
        f"{label:<40} {counts['devices']:>5} devices  wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
        f"{counts['devices'] / wall:7.1f} devices/s  ok {counts['ok']}  failed {counts['failed']}", file=LOG
    )
    if lab:
        per = 1000 / counts["devices"]
        print(
            f"{'':<40} CPU per device: netops {cpu * per:.1f} ms + lab {lab * per:.1f} ms; "
            f"on {os.cpu_count()} idle cores no run is shorter than {floor:.1f} s", file=LOG
        )
    return {"devices": counts["devices"], "failed": counts["failed"], "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "lab_cpu_s": round(lab, 2), "cpu_floor_s": round(floor, 2)}


def tree_memory(root: int) -> tuple[int, int]:
    """Resident and proportional (PSS: shared pages split among their sharers) bytes of ``root`` and its
    descendants now; (0, 0) once it is gone."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            own, _, rest = stat.read_text().partition(" (")
            children.setdefault(int(rest.rpartition(")")[2].split()[1]), []).append(int(own))
        except (OSError, ValueError):
            continue
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
        except (OSError, ValueError):
            continue
        rss += int(fields["Rss"].split()[0]) * 1024
        pss += int(fields["Pss"].split()[0]) * 1024
    return rss, pss


def cli_memory(lab_dir: Path, names: list[str], workers: int, processes: int, data_dir: Path) -> dict[str, float]:
    """Peak memory and wall of one ``netops backup`` command: the sum over the command and its forked worker
    processes of their PSS (what they occupy together) and of their RSS (which counts the pages a child
    shares with its parent once per process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    command = [str(Path(sys.executable).parent / "netops"), "--lab", "--lab-dir", str(lab_dir), "--data-dir", str(data_dir),
               "-i", str(REPO / "inventory"), "backup", "--host", f"{SCALE_PREFIX}*", "--workers", str(workers),
               "--processes", str(processes), "--timeout", "30", "--json"]
    started, peak_rss, peak = time.monotonic(), 0, 0
    with subprocess.Popen(command, env=env, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as proc:
        reader = threading.Thread(target=lambda: setattr(proc, "output", proc.stdout.read() if proc.stdout else ""))
        reader.start()
        while proc.poll() is None:
            rss, pss = tree_memory(proc.pid)
            peak_rss, peak = max(peak_rss, rss), max(peak, pss)
            time.sleep(SAMPLE_EVERY)
        reader.join()
    wall = time.monotonic() - started
    summary = json.loads(getattr(proc, "output", "") or "{}").get("summary", {})
    print(f"{'netops backup (command), ' + str(workers) + ' workers x ' + str(processes) + ' proc':<40} "
          f"{summary.get('devices', 0):>5} devices  wall {wall:6.2f} s (with start-up)  peak {peak / 2**20:.1f} MB "
          f"(PSS; RSS summed {peak_rss / 2**20:.1f} MB)  "
          f"ok {summary.get('ok', 0)}  failed {summary.get('failed', 0)}", file=LOG)
    return {"devices": summary.get("devices", 0), "failed": summary.get("failed", 0), "wall_s": round(wall, 2),
            "peak_mb": round(peak / 2**20, 1), "peak_rss_sum_mb": round(peak_rss / 2**20, 1)}


def rancid_run(state, names: list[str], parallel: int, workdir: Path) -> tuple[float, int]:
    """Back up ``names`` with rancid-run; returns (wall seconds, configs stored)."""
    nodes = [state.node(n) for n in names]
    base = workdir / "rancid"
    group = base / "var" / "bench"
    (base / "var" / "logs").mkdir(parents=True)
    conf = base / "rancid.conf"
    conf.write_text(
        "\n".join(
            [
                "TERM=network; export TERM",
                "umask 027",
                'PERL5LIB="/usr/share/perl5/rancid"; export PERL5LIB',
                f"TMPDIR={base}; export TMPDIR",
                f"BASEDIR={base / 'var'}; export BASEDIR",
                "PATH=/usr/lib/rancid/bin:/usr/bin:/usr/sbin:/bin; export PATH",
                "SENDMAIL=/bin/true",
                f"CVSROOT={base / 'var' / 'CVS'}; export CVSROOT",
                f"LOGDIR={base / 'var' / 'logs'}; export LOGDIR",
                "RCSSYS=git; export RCSSYS",
                'LIST_OF_GROUPS="bench"',
                f"PAR_COUNT={parallel}",
                "",
            ]
        )
    )
    first = nodes[0]
    cloginrc = base / ".cloginrc"
    fd = os.open(cloginrc, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(
            f"add method * {{ssh:{first.ssh_port}}}\n"
            f"add user * {{{first.username}}}\n"
            f"add password * {{{first.password}}} {{{first.enable_secret}}}\n"
        )
    env = {"HOME": str(base), "PATH": "/usr/lib/rancid/bin:/usr/bin:/bin", "LC_ALL": "C"}
    (base / ".ssh").mkdir(mode=0o700)
    (base / ".ssh" / "config").write_text("Host 127.*\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n")
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(workdir, "nobody", "nogroup")
        for path in [base, *base.rglob("*")]:
            shutil.chown(path, "nobody", "nogroup")
        as_user = ["/usr/sbin/runuser", "-u", "nobody", "--", "/usr/bin/env", *(f"{k}={v}" for k, v in env.items())]
    subprocess.run([*as_user, "rancid-cvs", "-f", str(conf)], env=env, check=True, capture_output=True)
    (group / "router.db").write_text("".join(f"{n.host};cisco;up\n" for n in nodes))
    if as_user:
        shutil.chown(group / "router.db", "nobody", "nogroup")
    started = time.monotonic()
    subprocess.run([*as_user, "rancid-run", "-f", str(conf), "bench"], env=env, capture_output=True)
    wall = time.monotonic() - started
    stored = sum(1 for n in nodes if (group / "configs" / n.host).is_file() and (group / "configs" / n.host).stat().st_size > 1000)
    return wall, stored


def start_lab(lab_dir: Path, devices: int, privilege: int, base: str):
    print(f"lab: {devices} generated switches (login privilege {privilege}) + the secretariat topology, base {base}", file=LOG)
    started = time.monotonic()
    state = runner.up(lab_dir, labs.DEFAULT_TOPOLOGY, runner.UpOptions(
        base_address=base, scale=devices, scale_privilege=privilege, engine="local"))
    print(f"lab up in {time.monotonic() - started:.1f} s", file=LOG)
    return state


def fleet(state, lab_dir: Path, work: Path, args: argparse.Namespace) -> tuple[Settings, list[str], dict[str, Any]]:
    """The two full runs (first, unchanged) of the lab's generated switches."""
    settings = Settings.resolve(env={}, inventory=REPO / "inventory", data_dir=work / "data", lab=True, lab_dir=lab_dir)
    names = sorted(n.name for n in state.nodes if n.name.startswith(SCALE_PREFIX))[: args.devices]
    label = f"netops, {args.workers} workers x {args.processes} proc"
    full = (settings, names, args.workers, work / "repo", args.processes, state.pids)
    figures: dict[str, Any] = {"first": show(f"{label}, first", *netops_run(*full))}
    figures["unchanged"] = show(f"{label}, unchanged", *netops_run(*full))
    if args.vault:
        vaulted = (settings, names, args.workers, work / "repo-vault", args.processes, state.pids, (keys.generate().recipient,))
        figures["vault_first"] = show(f"{label}, vault on, first", *netops_run(*vaulted))
        figures["vault_unchanged"] = show(f"{label}, vault on, unchanged", *netops_run(*vaulted))
    figures["wall_s"] = max(figures["first"]["wall_s"], figures["unchanged"]["wall_s"])
    figures["ok"] = figures["first"]["failed"] == figures["unchanged"]["failed"] == 0
    return settings, names, figures


def comparison(state, settings: Settings, names: list[str], args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """netops and RANCID on the same --subset switches at --parallel sessions each."""
    subset = names[: args.subset]
    report, wall, cpu, lab = netops_run(settings, subset, args.parallel, work / "repo-subset", 1, state.pids)
    netops = show(f"netops, {args.parallel} parallel, subset", report, wall, cpu, lab)
    rancid_dir = Path(tempfile.mkdtemp(prefix="netops-bench-rancid-"))
    try:
        rancid_wall, stored = rancid_run(state, subset, args.parallel, rancid_dir)
    finally:
        shutil.rmtree(rancid_dir, ignore_errors=True)
    print(f"{'RANCID rancid-run, PAR_COUNT=' + str(args.parallel):<40} {len(subset):>5} devices  wall {rancid_wall:6.2f} s  "
          f"{len(subset) / rancid_wall:7.1f} devices/s  configs stored {stored}", file=LOG)
    return {"devices": len(subset), "parallel": args.parallel, "netops_s": netops["wall_s"], "rancid_s": round(rancid_wall, 2),
            "rancid_stored": stored, "ratio": round(rancid_wall / wall, 1), "ok": netops["failed"] == 0 and stored == len(subset)}


def verdicts(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target next to its figure; a run with failed devices misses."""
    out = []

    def add(name: str, figure: float, target: float, unit: str, met: bool) -> None:
        out.append({"target": name, "figure": figure, "limit": target, "unit": unit, "pass": met})

    if "privileged" in figures:
        f = figures["privileged"]
        add("backup, privilege-15 fleet", f["wall_s"], TARGET_PRIVILEGED_S, "s", f["ok"] and f["wall_s"] <= TARGET_PRIVILEGED_S)
    if "enable" in figures:
        f = figures["enable"]
        add("backup, enable fleet", f["wall_s"], TARGET_ENABLE_S, "s", f["ok"] and f["wall_s"] <= TARGET_ENABLE_S)
    if "rancid" in figures:
        f = figures["rancid"]
        add(f"vs RANCID on {f['devices']} switches", f["ratio"], TARGET_RANCID_RATIO, "x", f["ok"] and f["ratio"] >= TARGET_RANCID_RATIO)
    if "memory" in figures:
        f = figures["memory"]
        add("netops backup peak memory (PSS)", f["peak_mb"], TARGET_RSS_MB, "MB", f["failed"] == 0 and f["peak_mb"] < TARGET_RSS_MB)
    return out


def main() -> int:
    global LOG
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=1000, help="generated switches to back up (lab --scale)")
    parser.add_argument("--subset", type=int, default=200, help="switches in the netops-vs-RANCID comparison")
    parser.add_argument("--parallel", type=int, default=50, help="parallel sessions for both tools in the comparison")
    parser.add_argument("--workers", type=int, default=50, help="netops workers for the full run")
    parser.add_argument("--processes", type=int, default=2, help="netops worker processes for the full run")
    parser.add_argument("--login-privilege", choices=("both", "15", "1"), default="both",
                        help="where the switches' login lands: 15 privileged (AAA fleet), 1 user mode (enable needed)")
    parser.add_argument("--base-address", default="127.36.0.1")
    parser.add_argument("--no-rancid", action="store_true", help="skip the RANCID comparison")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory of the netops backup command")
    parser.add_argument("--vault", action="store_true", help="also run the full backups with the secrets vault on")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    LOG = sys.stderr if args.json else sys.stdout
    figures: dict[str, Any] = {"devices": args.devices, "cores": os.cpu_count(), "load_average_before": list(os.getloadavg())}
    privileges = (15, 1) if args.login_privilege == "both" else (int(args.login_privilege),)
    for privilege in privileges:
        work = Path(tempfile.mkdtemp(prefix="netops-bench-"))
        lab_dir = work / "lab"
        state = start_lab(lab_dir, args.devices, privilege, args.base_address)
        try:
            settings, names, fleet_figures = fleet(state, lab_dir, work, args)
            figures["privileged" if privilege == 15 else "enable"] = fleet_figures
            if privilege == privileges[0] and not args.no_memory:
                figures["memory"] = cli_memory(lab_dir, names, args.workers, args.processes, work / "data-cli")
            if privilege == privileges[0] and not args.no_rancid:
                figures["rancid"] = comparison(state, settings, names, args, work)
        finally:
            runner.down(lab_dir)
            shutil.rmtree(work, ignore_errors=True)
    figures["load_average_after"] = list(os.getloadavg())
    figures["targets"] = verdicts(figures)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    if "rancid" in figures:
        print(f"netops is {figures['rancid']['ratio']:.1f}x faster than RANCID at equal parallelism ({args.parallel})")
    print(f"load average: before {' '.join(f'{x:.2f}' for x in figures['load_average_before'])}, "
          f"after {' '.join(f'{x:.2f}' for x in figures['load_average_after'])}")
    for t in figures["targets"]:
        bound = ">=" if t["unit"] == "x" else ("<" if t["unit"] == "MB" else "<=")
        print(f"  {'PASS' if t['pass'] else 'MISS'}  {t['target']:<32} {t['figure']:>7}{t['unit']:<3} target {bound} {t['limit']:g}{t['unit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
