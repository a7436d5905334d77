"""The secrets vault against the lab: real SSH sessions, real git, real age and scrypt, the netops CLI.

One store is backed up first without the vault, then with it (``netops vault init`` edits a private
netops.yaml), so both "before the vault" and "secrets added" are real revisions.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
import yaml
from lab_client import connect
from nornir.core.task import Result, Task

from labs import runner
from netops.backup.clean import clean_keeping_secrets
from netops.backup.fetch import FetchOptions, fetch_config
from netops.backup.gitstore import GitStore
from netops.drivers import get_driver
from netops.errors import InputError
from netops.inventory import Filters, open_nornir
from netops.settings import Settings
from netops.vault import fill, keys, matches, secrets_at

pytestmark = pytest.mark.lab
ROOT = Path(__file__).resolve().parent
FAULT_NODE = "srn-acc-4"
CHANGED_NODE = "srn-acc-2"  # a secret of it is changed (and put back) by one test


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def vaulted(lab, tmp_path_factory, netops_cli):
    """A private config, data dir and repository: a backup without the vault (commit A), ``vault init``, a backup
    with it (commit B)."""
    base = tmp_path_factory.mktemp("vault")
    config, data, repo = base / "netops.yaml", base / "data", base / "repo"
    (base / "kit").mkdir(mode=0o700)
    identity = base / "kit" / "dr-kit.key"
    config.write_text("# the vault tests' configuration\ntimezone: Asia/Kolkata  # kept as it is\n")
    args = ("--config", str(config), "--data-dir", str(data))
    rc, out, err = netops_cli(*args, "backup", "--backup-dir", str(repo), "--json", "--timeout", "10")
    assert rc in (0, 1), err
    before = json.loads(out)
    rc, out, err = netops_cli(*args, "vault", "init", "--identity-out", str(identity), "--json")
    assert rc == 0, err
    init = json.loads(out)
    rc, out, err = netops_cli(*args, "backup", "--backup-dir", str(repo), "--json", "--timeout", "10", "--processes", "2")
    assert rc in (0, 1), err
    return {"config": config, "data": data, "repo": repo, "identity": identity, "args": args, "init": init,
            "before": before, "after": json.loads(out)}


def ok_hosts(report: dict) -> set[str]:
    return {d["host"] for d in report["devices"] if d["status"] in ("changed", "unchanged")}


def raw_configs(hosts: list[str]) -> dict[str, str]:
    """Each device's configuration as it prints it now (netops' own fetch, nothing cleaned)."""
    nr = open_nornir(Settings.resolve(), Filters.of(hosts=hosts))

    def fetch(task: Task) -> Result:
        return Result(host=task.host, result=fetch_config(task, get_driver(task.host.platform or ""), FetchOptions(timeout=20)))

    return {name: multi[0].result for name, multi in nr.run(task=fetch).items() if not multi.failed}


def test_init_writes_the_key_and_edits_only_the_vault_section(vaulted) -> None:
    init, identity, config = vaulted["init"], vaulted["identity"], vaulted["config"]
    assert stat.S_IMODE(identity.stat().st_mode) == 0o600
    assert keys.load_identities(identity).recipients == (init["recipient"],)
    text = config.read_text()
    assert text.startswith("# the vault tests' configuration\ntimezone: Asia/Kolkata  # kept as it is\n")
    assert yaml.safe_load(text)["vault"] == {"recipients": [init["recipient"]]}
    assert init["config_file"] == str(config)


def test_backup_with_the_vault_stores_every_device_secrets(lab, vaulted) -> None:
    repo, after = vaulted["repo"], vaulted["after"]
    before_ok = ok_hosts(vaulted["before"])
    devices = {d["host"]: d for d in after["devices"]}
    for host in before_ok & ok_hosts(after):
        node = lab.node(host)
        device = devices[host]
        # the configuration did not change: only the vault did, and the device says so
        assert device["status"] == "changed" and device["reason"] == "secrets stored in the vault" and device["vault"] == "added", device
        for suffix in ("age", "fp"):
            path = repo / ".vault" / node.site / f"{host}.{suffix}"
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((repo / ".vault").stat().st_mode) == 0o700
    message = git(repo, "log", "-1", "--format=%B")
    assert after["commit"] == git(repo, "rev-parse", "HEAD").strip()
    assert "vault: jmu-acc-1 (secrets stored in the vault)" in message
    tree = git(repo, "ls-tree", "-r", "--name-only", "HEAD").split()
    assert {f".vault/{lab.node(h).site}/{h}.age" for h in ok_hosts(after)} <= set(tree)


def _value_like(token: str) -> bool:
    """A token of a secret line that is a value, not a keyword (``secret``, ``ciphertext``): long, with a digit or a sign."""
    return len(token) >= 6 and any(c.isdigit() or not c.isalnum() for c in token)


def test_no_lab_secret_in_git_objects_data_dir_or_database(lab, vaulted) -> None:
    """Every value the vault holds, and every credential of the lab, is absent from every git object (history,
    vault files, fingerprints), from the work tree, the data directory and the database."""
    repo, data = vaulted["repo"], vaulted["data"]
    raws = raw_configs(sorted(ok_hosts(vaulted["after"])))
    assert len(raws) >= 10
    values = set()
    for host, raw in raws.items():
        for secret in clean_keeping_secrets(raw, get_driver(lab.node(host).platform).backup)[1]:
            stored = set(secret.stored.split())
            values |= {value for line in secret.original for token in line.split()
                       if token not in stored and _value_like(value := token.strip("'\""))}
    values |= {v for n in lab.nodes for v in (n.password, n.enable_secret, n.snmp_community, n.snmp_v3_auth_key,
                                              n.snmp_v3_priv_key, n.bootstrap_password) if v and len(v) >= 6}
    assert len(values) > 50
    objects = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch-all-objects", "--batch"], capture_output=True,
                             check=True).stdout
    assert b"age-encryption.org/v1" in objects  # the vault is in the history, encrypted
    files = b"".join(p.read_bytes() for top in (repo, data) for p in top.rglob("*") if p.is_file() and ".git" not in p.parts)
    assert any(p.name == "netops.db" for p in data.rglob("*"))
    for value in values:
        needle = value.encode()
        assert needle not in objects, f"a secret ({len(value)} characters) is in a git object"
        assert needle not in files, f"a secret ({len(value)} characters) is in the work tree or the data directory"


def test_secrets_at_and_fill_rebuild_each_device(lab, vaulted) -> None:
    repo, identity = GitStore(vaulted["repo"]), vaulted["identity"]
    hosts = sorted(ok_hosts(vaulted["after"]))
    raws = raw_configs(hosts)
    commit = vaulted["after"]["commit"]
    for host, raw in raws.items():
        spec = get_driver(lab.node(host).platform).backup
        text, device_secrets = clean_keeping_secrets(raw, spec)
        secrets = secrets_at(repo, host, commit, identity)
        assert secrets == device_secrets, host
        full = fill(repo.show(host, commit), secrets)
        assert clean_keeping_secrets(full, spec) == (text, device_secrets)
        for line in (s for secret in device_secrets for s in secret.original):
            assert line in full.splitlines()
        assert matches(raw, spec, secrets) == (True, [])


def test_revision_before_the_vault_and_wrong_identity(lab, vaulted, tmp_path) -> None:
    repo = GitStore(vaulted["repo"])
    first = vaulted["before"]["commit"]
    with pytest.raises(InputError, match=rf"jmu-acc-1 has no vault entry at {first[:12]}: backed up before the vault was set up"):
        secrets_at(repo, "jmu-acc-1", first, vaulted["identity"])
    other = tmp_path / "other.key"
    keys.write_identity(other, keys.generate())
    with pytest.raises(InputError, match=f"it is encrypted to {vaulted['init']['recipient']}"):
        secrets_at(repo, "jmu-acc-1", "HEAD", other)


def test_unchanged_devices_make_no_commit_and_the_views_ignore_the_vault(vaulted, netops_cli) -> None:
    args, repo = vaulted["args"], vaulted["repo"]
    head = git(repo, "rev-parse", "HEAD")
    rc, out, err = netops_cli(*args, "backup", "--backup-dir", str(repo), "--json", "--host", "jmu-*")
    report = json.loads(out)
    assert report["commit"] is None and git(repo, "rev-parse", "HEAD") == head, err
    assert {d["vault"] for d in report["devices"] if d["status"] != "failed"} == {"unchanged"}
    rc, out, _ = netops_cli(*args, "backup", "history", "jmu-acc-1", "--backup-dir", str(repo), "--json")
    versions = json.loads(out)["versions"]
    assert rc == 0 and [v["commit"] for v in versions] == [vaulted["before"]["commit"]]  # the vault commit is no new version
    rc, out, _ = netops_cli(*args, "backup", "grep", "age-encryption|scrypt|recipients", "--backup-dir", str(repo), "--json")
    assert rc == 1 and json.loads(out)["matches"] == []
    rc, out, _ = netops_cli(*args, "backup", "grep", "^hostname", "--backup-dir", str(repo), "--json")
    assert rc == 0 and not any(".vault" in m["path"] for m in json.loads(out)["matches"])
    rc, out, _ = netops_cli(*args, "backup", "drift", "jmu-acc-1", "jmu-owrt-guesthouse", "--backup-dir", str(repo), "--json")
    assert rc == 0 and {d["status"] for d in json.loads(out)["devices"]} == {"unchanged"}
    rc, out, _ = netops_cli(*args, "backup", "status", "--json")
    assert not any(".vault" in d["host"] or d["host"].endswith(".age") for d in json.loads(out)["devices"])


def test_vault_status(lab, vaulted, netops_cli) -> None:
    args, repo = vaulted["args"], vaulted["repo"]
    rc, out, err = netops_cli(*args, "vault", "status", "--backup-dir", str(repo), "--json")
    state = json.loads(out)
    assert rc == 0 and state["enabled"] and state["flagged"] == [], (state["flagged"], err)
    devices = {d["host"]: d for d in state["devices"]}
    for host in ok_hosts(vaulted["after"]):
        d = devices[host]
        assert d["stored"] and d["secrets"] == d["markers"] and d["secrets"] > 0 and d["commit"] and d["date"], d
    rc, out, _ = netops_cli(*args, "vault", "status", "--backup-dir", str(repo))
    assert rc == 0 and f"vault on: 1 recipient(s) ({vaulted['config']})" in out and "0 flagged" in out
    rc, out, _ = netops_cli("--data-dir", str(vaulted["data"]), "vault", "status", "--backup-dir", str(repo) + "-plain", "--json")
    assert rc == 2  # no such repository


def test_a_changed_secret_alone_makes_a_commit(lab, vaulted, netops_cli) -> None:
    args, repo = vaulted["args"], vaulted["repo"]
    node = lab.node(CHANGED_NODE)
    conn = connect(node)
    try:
        lines = conn.send_command("show running-config").splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("radius server "))
        key_line = next(line for line in lines[start + 1:] if line.startswith(" key 7 "))
        conn.send_config_set([lines[start], "no key", "key 7 0A1B2C3D4E5F60718293"])
        rc, out, err = netops_cli(*args, "backup", "--backup-dir", str(repo), "--json", "--host", CHANGED_NODE)
    finally:
        conn.send_config_set([lines[start], "no key", key_line.strip()])
        conn.disconnect()
    [device] = json.loads(out)["devices"]
    assert rc == 0 and device["status"] == "changed" and device["reason"] == "secrets changed" and device["vault"] == "changed", err
    message = git(repo, "log", "-1", "--format=%B")
    assert f"vault: {CHANGED_NODE} (secrets changed)" in message
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [f".vault/{node.site}/{CHANGED_NODE}.age",
                                                                               f".vault/{node.site}/{CHANGED_NODE}.fp"]
    assert "0A1B2C3D4E5F60718293" not in subprocess.run(["git", "-C", str(repo), "cat-file", "--batch-all-objects", "--batch"],
                                                        capture_output=True, text=True, errors="replace").stdout
    store = GitStore(repo)
    now = secrets_at(store, CHANGED_NODE, "HEAD", vaulted["identity"])
    then = secrets_at(store, CHANGED_NODE, "HEAD~1", vaulted["identity"])  # each revision has its own secrets
    assert " key 7 0A1B2C3D4E5F60718293" in [s.original[0] for s in now]
    assert key_line in [s.original[0] for s in then]
    rc, out, _ = netops_cli(*args, "backup", "--backup-dir", str(repo), "--json", "--host", CHANGED_NODE)  # put back
    assert json.loads(out)["devices"][0]["reason"] == "secrets changed"


def test_a_failed_device_never_touches_its_vault_entry(lab, vaulted, netops_cli) -> None:
    args, repo = vaulted["args"], vaulted["repo"]
    node = lab.node(FAULT_NODE)
    entry = repo / ".vault" / node.site / f"{FAULT_NODE}.age"
    before = (entry.read_bytes(), entry.stat().st_mtime_ns, git(repo, "rev-parse", "HEAD"))
    lab_dir = Path(os.environ["NETOPS_LAB_DIR"])
    runner.set_fault(lab_dir, FAULT_NODE, "truncate")
    try:
        rc, out, _ = netops_cli(*args, "backup", "--backup-dir", str(repo), "--json", "--host", FAULT_NODE, "--timeout", "5")
    finally:
        runner.set_fault(lab_dir, FAULT_NODE, None, clear=True)
    [device] = json.loads(out)["devices"]
    assert rc == 1 and device["status"] == "failed" and device["vault"] is None
    assert (entry.read_bytes(), entry.stat().st_mtime_ns, git(repo, "rev-parse", "HEAD")) == before


def test_cli_errors_exit_2_and_name_the_file(vaulted, netops_cli, tmp_path) -> None:
    args, repo, identity = vaulted["args"], vaulted["repo"], vaulted["identity"]
    rc, _, err = netops_cli(*args, "vault", "init", "--identity-out", str(identity))
    assert rc == 2 and f"error: {identity}: --identity-out: exists: refusing to overwrite" in err
    notkey = tmp_path / "notakey.txt"
    notkey.write_text("hello\n")
    rc, _, err = netops_cli(*args, "vault", "rekey", "--identity", str(notkey), "--recipient", keys.generate().recipient,
                            "--backup-dir", str(repo))
    assert rc == 2 and f"error: {notkey}: --identity: not an age identity file" in err
    rc, _, err = netops_cli(*args, "vault", "rekey", "--identity", str(identity), "--recipient", "age1bad", "--backup-dir", str(repo))
    assert rc == 2 and "--recipient" in err and "age1bad" in err
    # without any configuration file: the key is made, the YAML to add is printed, exit 2
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "NETOPS_CONFIG": ""}
    rc, out, err = netops_cli("vault", "init", "--identity-out", str(tmp_path / "new.key"), env=env)
    recipient = keys.load_identities(tmp_path / "new.key").recipients[0]
    assert rc == 2 and f"vault:\n  recipients:\n    - {recipient}\n" in out
    assert "error: vault.recipients: netops runs without a configuration file" in err


def test_rekey_reencrypts_the_latest_and_keeps_history(lab, vaulted, netops_cli, tmp_path) -> None:
    args, repo, old_identity, config = vaulted["args"], vaulted["repo"], vaulted["identity"], vaulted["config"]
    pair = keys.generate()
    new_identity = tmp_path / "new.key"
    keys.write_identity(new_identity, pair)
    old_head = git(repo, "rev-parse", "HEAD").strip()
    rc, out, err = netops_cli(*args, "vault", "rekey", "--identity", str(old_identity), "--recipient", pair.recipient,
                              "--backup-dir", str(repo), "--json")
    result = json.loads(out)
    assert rc == 0 and result["entries"] >= 10 and result["commit"], err
    assert result["previous"] == [vaulted["init"]["recipient"]] and result["recipients"] == [pair.recipient]
    assert yaml.safe_load(config.read_text())["vault"] == {"recipients": [pair.recipient]}
    assert config.read_text().startswith("# the vault tests' configuration\n")
    store = GitStore(repo)
    assert secrets_at(store, "jmu-acc-1", "HEAD", new_identity) == secrets_at(store, "jmu-acc-1", old_head, old_identity)
    with pytest.raises(InputError, match=f"encrypted to {pair.recipient}"):
        secrets_at(store, "jmu-acc-1", "HEAD", old_identity)
    # the next backup finds the secrets and the recipients as they are: nothing to commit
    rc, out, _ = netops_cli(*args, "backup", "--backup-dir", str(repo), "--json", "--host", "jmu-acc-1")
    assert json.loads(out)["commit"] is None
    rc, out, _ = netops_cli(*args, "vault", "rekey", "--identity", str(new_identity), "--recipient", pair.recipient,
                            "--recipient", vaulted["init"]["recipient"], "--backup-dir", str(repo))
    assert rc == 0 and "re-encrypted" in out and "stay encrypted to" in out
