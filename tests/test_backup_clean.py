"""Data-driven tests of the per-platform backup specs: clean, redact, guard.

tests/data/backup/<platform>/NAME.raw -> NAME.cfg (the stored form),
NAME.bad -> NAME.reason (the guard rejects it, the reason contains that text),
tests/data/secrets/secret.yaml: values that must never be stored, lines that must survive.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from netops.backup.clean import clean
from netops.backup.guard import rejection, shrink_rejection
from netops.drivers import all_drivers, get_driver
from netops.drivers.base import REDACTED

DATA = Path(__file__).parent / "data" / "backup"
SECRETS = yaml.safe_load((Path(__file__).parent / "data" / "secrets" / "secret.yaml").read_text())
RAW = sorted(DATA.glob("*/*.raw"))
BAD = sorted(DATA.glob("*/*.bad"))


def _spec(path: Path):
    return get_driver(path.parent.name).backup


@pytest.mark.parametrize("raw", RAW, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_stored_form(raw: Path) -> None:
    spec = _spec(raw)
    text = raw.read_text()
    assert rejection(text, spec) is None
    assert clean(text, spec) == raw.with_suffix(".cfg").read_text()


@pytest.mark.parametrize("raw", RAW, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_clean_is_idempotent(raw: Path) -> None:
    spec = _spec(raw)
    once = clean(raw.read_text(), spec)
    assert clean(once, spec) == once
    assert rejection(once, spec) is None  # a stored file is still a complete config


@pytest.mark.parametrize("bad", BAD, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_guard_rejects(bad: Path) -> None:
    reason = rejection(bad.read_text(), _spec(bad))
    assert reason is not None
    assert bad.with_suffix(".reason").read_text().strip() in reason


@pytest.mark.parametrize("platform", sorted(SECRETS))
def test_no_secret_is_stored(platform: str) -> None:
    spec = get_driver(platform).backup
    stored = "\n".join(clean(p.read_text(), spec) for p in sorted((DATA / platform).glob("*.raw")))
    raw = "\n".join(p.read_text() for p in sorted((DATA / platform).glob("*.raw")))
    for entry in SECRETS[platform]["secrets"]:
        assert entry["value"] in raw, f"test data lacks {entry['form']}"
        assert entry["value"] not in stored, f"{platform}: {entry['form']} leaked"
    lines = set(stored.splitlines())
    for line in SECRETS[platform]["survive"]:
        assert line in lines, f"{platform}: over-redacted {line!r}"


def test_secret_forms_cover_every_platform() -> None:
    forms = sum(len(v["secrets"]) for v in SECRETS.values())
    assert forms >= 40
    with_backup = {p for p, d in all_drivers().items() if d.backup is not None}
    assert with_backup <= set(SECRETS)


def test_redacted_lines_carry_the_marker() -> None:
    spec = get_driver("cisco_xe").backup
    stored = clean((DATA / "cisco_xe" / "secrets.raw").read_text(), spec)
    assert " security wpa psk set-key ascii 0 " + REDACTED in stored.splitlines()
    assert "enable secret 9 " + REDACTED in stored.splitlines()


def test_volatile_lines_do_not_make_a_diff() -> None:
    spec = get_driver("cisco_xe").backup
    text = (DATA / "cisco_xe" / "jmu-wlc-1.raw").read_text()
    later = (
        text.replace("Current configuration : 8408 bytes", "Current configuration : 8412 bytes")
        .replace("11:42:17 IST Fri Nov 13 2026", "07:01:02 IST Sun Nov 22 2026")
        .replace("hostname jmu-wlc-1\n", "hostname jmu-wlc-1\nntp clock-period 17179803\n")
    )
    assert later != text
    assert clean(later, spec) == clean(text, spec)


def test_shrink_guard() -> None:
    old = "x\n" * 100
    assert shrink_rejection("x\n" * 49, old, 0.5) is not None
    assert shrink_rejection("x\n" * 50, old, 0.5) is None
    assert shrink_rejection("x\n" * 10, old, 1.0) is None
    assert shrink_rejection("x\n" * 10, None, 0.5) is None
