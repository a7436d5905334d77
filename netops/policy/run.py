"""One ``netops check`` run from start to stored result: policy, inventory, configurations, engine, store."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netops.policy.configs import find_configs, missing_configs, parse_texts, read_files
from netops.policy.engine import check
from netops.policy.findings import CheckResult, Notice
from netops.policy.hosts import load_hosts
from netops.policy.live import fetch_live
from netops.policy.loader import load_policy
from netops.policy.policy import Policy
from netops.policy.progress import Progress, no_progress
from netops.policy.store import latest_probe_runs, open_db, save_run
from netops.policy.waivers import waive
from netops.settings import Settings


@dataclass(frozen=True)
class CheckOptions:
    policy: Path
    settings: Settings  # inventory and data directories
    configs_dir: Path | None  # None: fetch live over SSH
    today: dt.date | None = None  # waiver expiry reference (default: today)


def run_check(options: CheckOptions, progress: Progress = no_progress) -> tuple[dict[str, Any], CheckResult]:
    """Check the configurations (a directory, or live) and store the run; its metadata and result."""
    started = dt.datetime.now(dt.timezone.utc)
    policy = load_policy(options.policy)
    hosts = load_hosts(options.settings)
    if options.configs_dir is None:
        texts, notices = fetch_live(options.settings, progress)
    else:
        files = find_configs(options.configs_dir)
        texts, notices = list(read_files(files)), []
    parsed, parse_notices = parse_texts(hosts, texts, progress("parsing configurations", len(texts)))
    notices += parse_notices
    today = options.today or dt.date.today()
    result = check(policy, hosts, parsed, today)
    result.notices = notices + missing_configs(hosts, parsed, {n.host for n in notices if n.host}) + result.notices
    origin = "live" if options.configs_dir is None else str(options.configs_dir)
    with closing(open_db(options.settings.data_dir)) as conn:
        run_id = save_run(conn, result, started=started, policy=str(options.policy), configs=origin)
        merge_probe_findings(result, latest_probe_runs(conn), started, policy, today)
    return {"id": run_id, "source": "policy", "started": started.isoformat(), "policy": str(options.policy), "configs": origin}, result


def merge_probe_findings(
    result: CheckResult, runs: list[tuple[dict[str, Any], CheckResult]], now: dt.datetime, policy: Policy, today: dt.date
) -> None:
    """Add the latest findings of every active probe (``netops probe ...``) to ``result``, with a notice giving
    their age. The policy's waivers cover them too: a waiver that matched only a probe finding is not stale."""
    used = {policy.waivers[i].line for i in waive(policy, [f for _, run in runs for f in run.findings], today)}
    result.notices = [n for n in result.notices if not (n.kind == "waiver-stale" and n.line in used)]
    for meta, probe in runs:
        age = now - dt.datetime.fromisoformat(meta["finished"])
        minutes = max(0, int(age.total_seconds() // 60))
        when = f"{minutes // 1440} d" if minutes >= 1440 else f"{minutes // 60} h" if minutes >= 60 else f"{minutes} min"
        result.findings += probe.findings
        result.notices.append(Notice("probe-findings", f"{len(probe.findings)} finding(s) of probe '{meta['source']}' "
                                     f"(run {meta['id']}, {when} ago, {meta['configs']}) included"))
