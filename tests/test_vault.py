"""The secrets vault without the lab: real git, real age (pyrage).

tests/data/vault/<platform>/NAME.json: the secrets clean_keeping_secrets takes out of the input it names
(a real configuration under tests/data/), in order, each with the stored line that replaced it.
"""

from __future__ import annotations

import json
import re
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

from netops.backup.clean import Secret, clean, clean_keeping_secrets
from netops.backup.gitstore import GitStore
from netops.backup.run import BackupPayload, commit_message
from netops.drivers import get_driver
from netops.drivers.base import REDACTED
from netops.errors import InputError
from netops.results import DeviceResult, Status
from netops.settings import Settings
from netops.vault import fill, keep, keys, matches, secrets_at
from netops.vault import store as vault
from netops.vault.config import recipients, with_recipients

DATA = Path(__file__).parent / "data"
CASES = sorted((DATA / "vault").glob("*/*.json"))
SECRET_VALUES = yaml.safe_load((DATA / "secrets" / "secret.yaml").read_text())


def _case(path: Path) -> tuple[str, str, list[dict]]:
    doc = json.loads(path.read_text())
    return path.parent.name, (DATA / doc["input"]).read_text(), doc["secrets"]


def _volatile_free(raw: str, platform: str) -> str:
    """``raw`` as the device has it minus the volatile lines: what a stored file filled from the vault must be."""
    from netops.backup.clean import lines_of

    spec = get_driver(platform).backup
    kept = [line for line in lines_of(raw) if not any(re.search(r.pattern, line) for r in spec.volatile)]
    return "\n".join(lines_of("\n".join(kept))) + "\n"


@pytest.fixture
def repo(tmp_path: Path) -> GitStore:
    store = GitStore(tmp_path / "repo")
    store.ensure()
    return store


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[keys.KeyPair, Path]:
    pair = keys.generate()
    path = tmp_path_factory.mktemp("key") / "dr-kit.key"
    keys.write_identity(path, pair)
    return pair, path


def _backup(repo: GitStore, platform: str, raw: str, recipient: str, host: str = "sw1", site: str = "jammu") -> tuple[str, str]:
    """What a vault-enabled backup does for one device: (the commit, the vault state)."""
    text, secrets = clean_keeping_secrets(raw, get_driver(platform).backup)
    repo.write(f"{site}/{host}.cfg", text)
    state = keep(repo, site, host, secrets, [recipient])
    commit = repo.commit([f"{site}/{host}.cfg", *vault.paths(site, host)], f"backup {host}")
    return commit or repo.resolve("HEAD"), state


# -- clean_keeping_secrets, per platform ------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_secrets_removed_per_platform(case: Path) -> None:
    platform, raw, expected = _case(case)
    spec = get_driver(platform).backup
    text, secrets = clean_keeping_secrets(raw, spec)
    assert text == clean(raw, spec)  # the same pipeline, the same stored form
    assert [s.to_dict() for s in secrets] == expected
    assert all(REDACTED in s.stored for s in secrets) and all(s.stored in text.splitlines() for s in secrets)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fill_puts_every_secret_back(case: Path) -> None:
    platform, raw, _ = _case(case)
    spec = get_driver(platform).backup
    text, secrets = clean_keeping_secrets(raw, spec)
    full = fill(text, secrets)
    assert full == _volatile_free(raw, platform)
    assert clean(full, spec) == text
    assert REDACTED not in full
    assert matches(full, spec, secrets) == (True, [])


def test_every_secret_form_is_kept() -> None:
    """Each of the 121 secret forms the redaction removes is in the vault's secrets of its platform."""
    for platform, entry in SECRET_VALUES.items():
        spec = get_driver(platform).backup
        kept = "\n".join(line for raw in sorted((DATA / "backup" / platform).glob("*.raw"))
                         for s in clean_keeping_secrets(raw.read_text(), spec)[1] for line in s.original)
        for form in entry["secrets"]:
            assert form["value"] in kept, f"{platform}: {form['form']} not kept"


def test_a_cleaned_text_has_no_secret_left() -> None:
    spec = get_driver("cisco_xe").backup
    text, _ = clean_keeping_secrets((DATA / "backup" / "cisco_xe" / "secrets.raw").read_text(), spec)
    assert clean_keeping_secrets(text, spec) == (text, [])


def test_secret_repr_never_shows_the_value() -> None:
    secret = Secret("enable secret 9 " + REDACTED, ("enable secret 9 $9$TopSecretHash",), "enable")
    assert "TopSecret" not in repr(secret) and "TopSecret" not in str(secret)
    assert Secret.from_dict(secret.to_dict()) == secret


# -- fill ---------------------------------------------------------------------------------------------

DUPLICATES = """\
hostname sw1
username ops privilege 15 secret 9 $9$first$AAAA
username ops privilege 15 secret 9 $9$second$BBBB
aaa group server radius RAD
radius server A
 key 7 070C285F4D06485744
radius server B
 key 7 1511021F07257A767B
crypto pki certificate chain TP-self-signed-1
 certificate self-signed 01
  30820330 30820218 A0030201
  31312F30 2D060355 04031326
  \tquit
crypto pki certificate chain TP-self-signed-2
 certificate self-signed 02
  40820330 40820218 B0030201
  \tquit
end
"""


def test_fill_keeps_order_of_duplicate_lines_and_expands_blocks() -> None:
    spec = get_driver("cisco_xe").backup
    text, secrets = clean_keeping_secrets(DUPLICATES, spec)
    lines = text.splitlines()
    assert lines.count("username ops privilege 15 secret 9 " + REDACTED) == 2
    assert lines.count(" key 7 " + REDACTED) == 2
    assert lines.count("  " + REDACTED) == 2  # one line per certificate body
    assert fill(text, secrets) == DUPLICATES
    assert [s.label for s in secrets].count("PKI certificate") == 2


def test_fill_refuses_a_marker_the_vault_cannot_fill() -> None:
    spec = get_driver("cisco_xe").backup
    text, secrets = clean_keeping_secrets(DUPLICATES, spec)
    with pytest.raises(InputError, match=r"line 3: the vault has no secret for 'username ops privilege 15 secret 9 <removed by netops>'"):
        fill(text, secrets[:1])  # the second user's value is missing


def test_matches_reports_labels_never_values() -> None:
    spec = get_driver("cisco_xe").backup
    _, secrets = clean_keeping_secrets(DUPLICATES, spec)
    swapped = DUPLICATES.replace("070C285F4D06485744", "ZZZ-other-key").replace("username ops privilege 15 secret 9 $9$second$BBBB\n", "")
    ok, labels = matches(swapped, spec, secrets)
    assert not ok
    assert labels == ["missing user: username ops privilege 15 secret 9 " + REDACTED, "different AAA server key: key 7 " + REDACTED]
    assert not any(v in "".join(labels) for v in ("ZZZ", "070C", "BBBB", "AAAA"))
    extra = DUPLICATES.replace("hostname sw1\n", "hostname sw1\nenable secret 9 $9$x$y\n")
    assert matches(extra, spec, secrets) == (False, ["not in the vault enable: enable secret 9 " + REDACTED])


# -- storage ----------------------------------------------------------------------------------------


def test_round_trip_through_git(repo: GitStore, pair) -> None:
    key, identity = pair
    raw = (DATA / "backup" / "cisco_xe" / "jmu-core-1.raw").read_text()
    commit, state = _backup(repo, "cisco_xe", raw, key.recipient)
    assert state == vault.ADDED
    secrets = secrets_at(repo, "sw1", commit[:8], identity)
    assert fill(repo.show("sw1", commit), secrets) == _volatile_free(raw, "cisco_xe")
    age = (repo.root / ".vault/jammu/sw1.age").read_bytes()
    assert age.startswith(b"age-encryption.org/v1\n")
    for line in (s for secret in secrets for s in secret.original):
        assert line.encode() not in age and line not in (repo.root / ".vault/jammu/sw1.fp").read_text()


def test_unchanged_secrets_are_not_rewritten(repo: GitStore, pair) -> None:
    key, _ = pair
    spec = get_driver("cisco_xe").backup
    raw = (DATA / "backup" / "cisco_xe" / "jmu-wlc-1.raw").read_text()
    _backup(repo, "cisco_xe", raw, key.recipient)
    age, fp = repo.root / ".vault/jammu/sw1.age", repo.root / ".vault/jammu/sw1.fp"
    before = (age.read_bytes(), fp.read_bytes(), age.stat().st_mtime_ns)
    _, secrets = clean_keeping_secrets(raw, spec)
    assert keep(repo, "jammu", "sw1", secrets, [key.recipient]) == vault.UNCHANGED
    assert (age.read_bytes(), fp.read_bytes(), age.stat().st_mtime_ns) == before
    assert repo.commit([*vault.paths("jammu", "sw1")], "nothing") is None
    # one secret changes: the entry is rewritten, with a new salt
    _, changed = clean_keeping_secrets(raw.replace("enable secret 9 ", "enable secret 9 X", 1), spec)
    assert keep(repo, "jammu", "sw1", changed, [key.recipient]) == vault.CHANGED
    assert age.read_bytes() != before[0]
    assert json.loads(fp.read_bytes())["salt"] != json.loads(before[1])["salt"]
    # same secrets, another recipient set: re-encrypted
    other = keys.generate().recipient
    assert keep(repo, "jammu", "sw1", changed, [key.recipient, other]) == vault.REKEYED
    assert json.loads(fp.read_bytes())["recipients"] == [key.recipient, other]


def test_fingerprint_is_a_keyed_hash_whose_key_never_leaves_the_server(repo: GitStore, pair) -> None:
    import hashlib
    import hmac

    key, _ = pair
    _, secrets = clean_keeping_secrets(DUPLICATES, get_driver("cisco_xe").backup)
    keep(repo, "jammu", "sw1", secrets, [key.recipient])
    fp = json.loads((repo.root / ".vault/jammu/sw1.fp").read_text())
    mac_key = (repo.root / ".git" / "netops-vault.key").read_bytes()
    assert len(mac_key) == 32 and (repo.root / ".git" / "netops-vault.key").stat().st_mode & 0o777 == 0o600
    plain = vault.plaintext("sw1", secrets)
    salt = bytes.fromhex(fp["salt"])
    assert len(salt) == 16 and hmac.new(mac_key, salt + plain, hashlib.sha256).hexdigest() == fp["hmac"]
    assert fp["secrets"] == len(secrets) == 6
    tracked = subprocess.run(["git", "-C", str(repo.root), "ls-files"], capture_output=True, text=True, check=True).stdout
    assert "netops-vault.key" not in tracked


def test_files_are_private(repo: GitStore, pair) -> None:
    key, identity = pair
    _backup(repo, "cisco_xe", DUPLICATES, key.recipient)
    for path in (".vault", ".vault/jammu"):
        assert stat.S_IMODE((repo.root / path).stat().st_mode) == 0o700, path
    for path in (".vault/jammu/sw1.age", ".vault/jammu/sw1.fp"):
        assert stat.S_IMODE((repo.root / path).stat().st_mode) == 0o600, path
    assert stat.S_IMODE(identity.stat().st_mode) == 0o600
    assert identity.read_text().splitlines()[1] == f"# public key: {key.recipient}"


def test_wrong_identity_says_who_the_entry_is_for(repo: GitStore, pair, tmp_path: Path) -> None:
    key, _ = pair
    commit, _ = _backup(repo, "cisco_xe", DUPLICATES, key.recipient)
    other = keys.generate()
    wrong = tmp_path / "other.key"
    keys.write_identity(wrong, other)
    with pytest.raises(InputError) as err:
        secrets_at(repo, "sw1", commit, wrong)
    message = str(err.value)
    assert str(wrong) in message and other.recipient in message and f"it is encrypted to {key.recipient}" in message
    assert err.value.exit_code == 2


@pytest.mark.parametrize("content, quoted", [(b"not a key\n", "not a key"), (b"# public key: age1xyz\n", "age1xyz"),
                                             (b"\x00\xff\xfe binary", "binary"), (b"", "\n"),
                                             (b"AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n", "QQQQ")])
def test_not_an_identity_file(repo: GitStore, pair, tmp_path: Path, content: bytes, quoted: str) -> None:
    key, _ = pair
    commit, _ = _backup(repo, "cisco_xe", DUPLICATES, key.recipient)
    bad = tmp_path / "id.txt"
    bad.write_bytes(content)
    with pytest.raises(InputError, match="not an age identity file") as err:
        secrets_at(repo, "sw1", commit, bad)
    assert str(bad) in str(err.value) and "--identity" in str(err.value)
    assert quoted not in str(err.value)  # the file's content is never quoted
    with pytest.raises(InputError, match="cannot read the identity file"):
        secrets_at(repo, "sw1", commit, tmp_path / "missing.key")


def test_revision_without_vault_entry(repo: GitStore, pair) -> None:
    _, identity = pair
    repo.write("jammu/sw1.cfg", clean(DUPLICATES, get_driver("cisco_xe").backup))
    old = repo.commit(["jammu/sw1.cfg"], "before the vault")
    assert old is not None
    with pytest.raises(InputError, match=rf"sw1 has no vault entry at {old[:12]}: backed up before the vault was set up"):
        secrets_at(repo, "sw1", old, identity)
    with pytest.raises(InputError, match="no backup at revision"):
        secrets_at(repo, "nosuch", old, identity)


def test_identity_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "kit.key"
    keys.write_identity(path, keys.generate())
    first = path.read_text()
    with pytest.raises(InputError, match="refusing to overwrite"):
        keys.write_identity(path, keys.generate())
    assert path.read_text() == first
    keys.write_identity(path, keys.generate(), force=True)
    assert path.read_text() != first and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


# -- the git store ignores the vault ------------------------------------------------------------------


def test_device_views_of_the_store_ignore_the_vault(repo: GitStore, pair) -> None:
    key, _ = pair
    first, _ = _backup(repo, "cisco_xe", DUPLICATES, key.recipient)
    spec = get_driver("cisco_xe").backup
    _, changed = clean_keeping_secrets(DUPLICATES.replace("$9$first$AAAA", "$9$third$CCCC"), spec)
    assert keep(repo, "jammu", "sw1", changed, [key.recipient]) == vault.CHANGED
    second = repo.commit(list(vault.paths("jammu", "sw1")), "vault only")
    assert second is not None
    for decoy in (".vault/decoy.cfg", ".vault/jammu/decoy.cfg"):  # not devices, even named .cfg
        repo.write(decoy, "hostname decoy\nscrypt\n")
    repo.commit([".vault/decoy.cfg", ".vault/jammu/decoy.cfg"], "decoys")
    assert repo.hosts() == ["sw1"]
    assert [v.commit for v in repo.history("sw1")] == [first]  # the vault-only commit is not a configuration version
    assert {c.path for c in repo.changes("2000-01-01", "2099-12-31")} == {"jammu/sw1.cfg"}
    assert repo.grep("scrypt|age-encryption|recipients|decoy") == []
    assert repo.grep("hostname") == [("jammu/sw1.cfg", 1, "hostname sw1")]
    assert repo.grep("hostname", rev=second) == [("jammu/sw1.cfg", 1, "hostname sw1")]


# -- commits and backup records ---------------------------------------------------------------------


def test_commit_message_names_vault_changes() -> None:
    def outcome(host: str, reason: str | None, state: str | None, new: bool = False) -> DeviceResult[BackupPayload]:
        return DeviceResult(host, Status.CHANGED, reason, "jammu", payload=BackupPayload("cisco_xe", f"jammu/{host}.cfg", 10, new, vault=state))

    message = commit_message([outcome("a", None, "changed"), outcome("b", "secrets changed", "changed"), outcome("c", None, None, True),
                              outcome("d", None, "unchanged")], "tester (terminal)")
    assert message.splitlines()[:6] == [
        "backup: 4 device(s) changed: a, b, c, d", "",
        "changed: a (jammu/a.cfg, vault)", "vault: b (secrets changed)", "new: c (jammu/c.cfg)", "changed: d (jammu/d.cfg)"]


# -- netops.yaml: the vault section and the line-level edit -------------------------------------------

R1 = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"


@pytest.mark.parametrize("before, after", [
    ("inventory: inventory  # ours\n\n# schedule:\n#   backup: {at: ['02:00']}\n",
     f"inventory: inventory  # ours\n\n# schedule:\n#   backup: {{at: ['02:00']}}\n\n"
     "# The secrets vault (netops vault): age recipients its entries are encrypted to.\n"
     f"vault:\n  recipients:\n    - {R1}\n    - NEW\n"),
    (f"vault:\n  # the DR kit\n  recipients:\n    - {R1}   # kit 1\n\n# next\ntimezone: Asia/Kolkata\n",
     f"vault:\n  # the DR kit\n  recipients:\n    - {R1}\n    - NEW\n\n# next\ntimezone: Asia/Kolkata\n"),
    (f"vault:\n  recipients:\n  - {R1}\ntimezone: UTC\n", f"vault:\n  recipients:\n    - {R1}\n    - NEW\ntimezone: UTC\n"),
    (f"timezone: UTC\nvault: {{recipients: [{R1}]}}  # flow\ndata_dir: /x\n",
     f"timezone: UTC\nvault:\n  recipients:\n  - {R1}\n  - NEW\ndata_dir: /x\n"),
    ("vault:\n# nothing yet\ntimezone: UTC\n", f"vault:\n  recipients:\n  - {R1}\n  - NEW\n# nothing yet\ntimezone: UTC\n"),
])
def test_recipients_edit_is_line_level(before: str, after: str) -> None:
    new = keys.generate().recipient
    assert with_recipients(before, [R1, new]) == after.replace("NEW", new)


def test_recipients_edit_refuses_what_it_cannot_do_safely() -> None:
    with pytest.raises(InputError, match="set it by hand"):
        with_recipients("vault: &anchor\n  recipients: []\ncopy: *anchor\n", [R1])
    with pytest.raises(InputError, match="not valid YAML"):
        with_recipients("vault: [\n", [R1])


def test_recipients_from_settings(tmp_path: Path) -> None:
    config = tmp_path / "netops.yaml"
    config.write_text(f"vault:\n  recipients: [{R1}]\n")
    assert recipients(Settings.resolve(env={}, config=config)) == (R1,)
    config.write_text("vault:\n  recipients:\n    - age1nope\n")
    with pytest.raises(InputError, match=r"netops.yaml:3: vault.recipients"):
        recipients(Settings.resolve(env={}, config=config))
    config.write_text("inventory: inventory\n")
    assert recipients(Settings.resolve(env={}, config=config)) == ()


def test_init_template_and_schema_know_the_vault() -> None:
    from netops.config import schema

    pattern = schema()["properties"]["vault"]["properties"]["recipients"]["items"]["pattern"]
    template = (Path(__file__).parent.parent / "netops" / "defaults" / "init" / "netops.yaml").read_text()
    example = re.search(r"^#\s+- (age1\S+)$", template, re.M)
    assert example and re.match(pattern, example.group(1)) and re.match(pattern, keys.generate().recipient)


def test_no_secret_in_process_arguments(repo: GitStore, pair, monkeypatch: pytest.MonkeyPatch) -> None:
    """git is never given a secret: the vault is written as files, committed by path."""
    key, _ = pair
    seen: list[list[str]] = []
    real = subprocess.run

    def recording(args, *a, **kw):  # notes every command line; git itself still runs
        seen.append(list(args))
        return real(args, *a, **kw)

    monkeypatch.setattr(subprocess, "run", recording)
    _backup(repo, "cisco_xe", DUPLICATES, key.recipient)
    text = json.dumps(seen)
    assert seen and not any(v in text for v in ("AAAA", "BBBB", "070C285F4D06485744", "30820330"))


def test_status_flags_what_a_rebuild_would_miss(tmp_path: Path, pair) -> None:
    from netops.services.vault import status

    key, _ = pair
    config = tmp_path / "netops.yaml"
    config.write_text(f"vault:\n  recipients: [{key.recipient}]\n")
    settings = Settings.resolve(env={}, config=config, data_dir=tmp_path / "data", backup_dir=tmp_path / "repo")
    repo = GitStore(tmp_path / "repo")
    repo.ensure()
    _backup(repo, "cisco_xe", DUPLICATES, key.recipient, host="ok")
    repo.write("jammu/none.cfg", clean(DUPLICATES, get_driver("cisco_xe").backup))  # backed up with the vault off
    repo.commit(["jammu/none.cfg"], "no vault")
    _backup(repo, "cisco_xe", DUPLICATES, keys.generate().recipient, host="other")  # encrypted to another key
    _, secrets = clean_keeping_secrets(DUPLICATES, get_driver("cisco_xe").backup)
    keep(repo, "srinagar", "pending", secrets, [key.recipient])  # written, not committed
    repo.write("srinagar/pending.cfg", clean(DUPLICATES, get_driver("cisco_xe").backup))
    state = status(settings)
    problems = {d.host: d.problem for d in state.devices}
    assert state.enabled and state.recipients == (key.recipient,)
    assert problems["ok"] is None
    assert problems["none"] == "6 secret line(s) in its configuration, no vault entry"
    assert problems["other"] is not None and "other recipients" in problems["other"]
    assert problems["pending"] is not None and "not committed" in problems["pending"]
    ok = next(d for d in state.devices if d.host == "ok")
    assert (ok.stored, ok.secrets, ok.markers, ok.site) == (True, 6, 6, "jammu") and ok.commit and ok.date
    assert {d["host"] for d in state.to_dict()["devices"]} == {"ok", "none", "other", "pending"}
