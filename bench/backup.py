"""Backup benchmark: netops against N lab switches, and netops vs RANCID on a subset.

    .venv/bin/python bench/backup.py [--devices 1000] [--subset 50] [--parallel 50]

Starts its own lab (``--scale N`` generated access switches whose login lands in
privileged mode, or in user mode with ``--login-privilege 1``) on --base-address,
backs all of them up with netops (wall time, CPU of this process, devices/s),
runs a second, unchanged pass, then backs up the same ``--subset`` switches
with netops and with Debian's RANCID (``rancid-run``, clogin) at the same
parallelism and prints the ratio. Each netops run also reports the lab's CPU:
netops plus lab CPU spread over the cores is the shortest run this machine
allows, since the simulated devices share its cores. RANCID refuses root: as root it runs as
``nobody`` from a private directory (its cloginrc holds the lab credentials,
mode 0600). Only 127.0.0.0/8 is contacted. Ratios, not absolute times, are the
result: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

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


def show(label: str, report: BackupRun, wall: float, cpu: float, lab: float) -> None:
    """One result line; with the lab's CPU, the CPU floor of the run on this machine's cores."""
    counts = report.counts()
    print(
        f"{label:<40} {counts['devices']:>5} devices  wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
        f"{counts['devices'] / wall:7.1f} devices/s  ok {counts['ok']}  failed {counts['failed']}"
    )
    if lab:
        per = 1000 / counts["devices"]
        print(
            f"{'':<40} CPU per device: netops {cpu * per:.1f} ms + lab {lab * per:.1f} ms; "
            f"on {os.cpu_count()} idle cores no run is shorter than {(cpu + lab) / (os.cpu_count() or 1):.1f} s"
        )


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=1000, help="generated switches to back up (lab --scale)")
    parser.add_argument("--subset", type=int, default=50, help="switches in the netops-vs-RANCID comparison")
    parser.add_argument("--parallel", type=int, default=50, help="parallel sessions for both tools in the comparison")
    parser.add_argument("--workers", type=int, default=50, help="netops workers for the full run")
    parser.add_argument("--processes", type=int, default=2, help="netops worker processes for the full run")
    parser.add_argument("--login-privilege", type=int, choices=(1, 15), default=15,
                        help="where the switches' login lands: 15 privileged (AAA fleet), 1 user mode (enable needed)")
    parser.add_argument("--base-address", default="127.36.0.1")
    parser.add_argument("--no-rancid", action="store_true", help="skip the RANCID comparison")
    parser.add_argument("--vault", action="store_true", help="also run the full backups with the secrets vault on")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="netops-bench-"))
    lab_dir = work / "lab"
    print(f"lab: {args.devices} generated switches (login privilege {args.login_privilege}) + the secretariat topology, "
          f"base {args.base_address}")
    started = time.monotonic()
    state = runner.up(lab_dir, labs.DEFAULT_TOPOLOGY, runner.UpOptions(
        base_address=args.base_address, scale=args.devices, scale_privilege=args.login_privilege, engine="local"))
    print(f"lab up in {time.monotonic() - started:.1f} s")
    try:
        settings = Settings.resolve(env={}, inventory=REPO / "inventory", data_dir=work / "data", lab=True, lab_dir=lab_dir)
        names = sorted(n.name for n in state.nodes if n.name.startswith(SCALE_PREFIX))[: args.devices]
        label = f"netops, {args.workers} workers x {args.processes} proc"
        full = (settings, names, args.workers, work / "repo", args.processes, state.pids)
        show(f"{label}, first", *netops_run(*full))
        show(f"{label}, unchanged", *netops_run(*full))
        if args.vault:
            vaulted = (settings, names, args.workers, work / "repo-vault", args.processes, state.pids, (keys.generate().recipient,))
            show(f"{label}, vault on, first", *netops_run(*vaulted))
            show(f"{label}, vault on, unchanged", *netops_run(*vaulted))
        if args.no_rancid:
            return 0
        subset = names[: args.subset]
        report, wall, cpu, lab = netops_run(settings, subset, args.parallel, work / "repo-subset", 1, state.pids)
        show(f"netops, {args.parallel} parallel, subset", report, wall, cpu, lab)
        rancid_dir = Path(tempfile.mkdtemp(prefix="netops-bench-rancid-"))
        try:
            rancid_wall, stored = rancid_run(state, subset, args.parallel, rancid_dir)
        finally:
            shutil.rmtree(rancid_dir, ignore_errors=True)
        print(f"{'RANCID rancid-run, PAR_COUNT=' + str(args.parallel):<40} {len(subset):>5} devices  wall {rancid_wall:6.2f} s  "
              f"{len(subset) / rancid_wall:7.1f} devices/s  configs stored {stored}")
        print(f"netops is {rancid_wall / wall:.1f}x faster than RANCID at equal parallelism ({args.parallel})")
    finally:
        runner.down(lab_dir)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
