"""A fetched configuration is judged complete by the prompt returning after it and by the platform's end marker or
required sections (issue 19), never by a last line the vendor does not print.

Complete captures: tests/data/backup/<platform>/*.raw (lab captures; FRR and OpenWrt from the real daemons) and
tests/data/backup/complete/<platform>/*.txt (further real or lab captures, where there are any). Every capture is
accepted whole, and the same capture cut anywhere the guard can see (before the platform's last required section,
or anywhere for a platform with an end marker) is rejected. A cut after that point is caught one layer down: netmiko
returns only when the prompt comes back, so a session cut mid-output raises in the fetch (tested below with a
session whose channel closes or whose prompt never returns).
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from netmiko.exceptions import ReadTimeout

from netops.backup import fetch
from netops.backup.clean import lines_of
from netops.backup.guard import rejection
from netops.drivers import all_drivers, get_driver
from netops.drivers.base import BackupSpec

DATA = Path(__file__).resolve().parent.parent / "data" / "backup"
CAPTURES = sorted([*DATA.glob("*/*.raw"), *DATA.glob("complete/*/*.txt")])
CUTS = (0.1, 0.25, 0.4, 0.6)  # 0.4: the lab's truncate fault (labs/sim/server.py TRUNCATE_AT)


def _spec(path: Path) -> BackupSpec:
    spec = get_driver(path.parent.name).backup
    assert spec is not None
    return spec


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def guarded_lines(text: str, spec: BackupSpec) -> int:
    """How many leading lines the guard protects: a cut keeping fewer lines than this is rejected."""
    lines = lines_of(text)
    if spec.end_marker:
        return len(lines)  # only the last line carries the marker
    firsts = [min(i for i, line in enumerate(lines) if re.search(p, line)) for p in spec.required]
    return max(firsts) + 1


def test_every_platform_with_backups_has_captures() -> None:
    with_backup = {p for p, d in all_drivers().items() if d.backup is not None}
    assert with_backup <= {p.parent.name for p in CAPTURES}


def test_every_platform_has_a_marker_or_required_sections() -> None:
    """Without an end marker the required sections are the only check the guard has: at least two of them."""
    for name, driver in all_drivers().items():
        spec = driver.backup
        if spec is not None and not spec.end_marker:
            assert len(spec.required) >= 2, name


@pytest.mark.matrix("device configuration, complete", "lab and real captures of every platform")
@pytest.mark.parametrize("capture", CAPTURES, ids=_id)
def test_a_complete_capture_is_accepted(capture: Path) -> None:
    assert rejection(capture.read_text(), _spec(capture)) is None


@pytest.mark.matrix("device configuration, truncated", "each capture cut at 10, 25, 40 and 60 % of its lines")
@pytest.mark.parametrize("share", CUTS)
@pytest.mark.parametrize("capture", CAPTURES, ids=_id)
def test_a_cut_capture_is_rejected(capture: Path, share: float) -> None:
    spec = _spec(capture)
    lines = lines_of(capture.read_text())
    cut = "\n".join(lines[: max(1, int(len(lines) * share))])
    reason = rejection(cut, spec)
    assert reason is not None
    assert reason.startswith(("incomplete", "only")), reason


@pytest.mark.matrix("device configuration, truncated", "hypothesis: a capture cut at any character the guard covers")
@given(st.data())
def test_a_cut_anywhere_the_guard_covers_is_rejected(data: st.DataObject) -> None:
    capture = data.draw(st.sampled_from(CAPTURES), label="capture")
    spec = _spec(capture)
    text = "\n".join(lines_of(capture.read_text()))
    guarded = guarded_lines(text, spec)
    # the first character of the guarded part's last line: a cut before it loses what the guard needs
    limit = sum(len(line) + 1 for line in text.split("\n")[: guarded - 1])
    if spec.end_marker:
        limit = len(text.rstrip().rsplit("\n", 1)[0])  # anything short of the end marker's line
    offset = data.draw(st.integers(min_value=0, max_value=max(0, limit - 1)), label="offset")
    assert rejection(text[:offset], spec) is not None


class _Session:
    """A netmiko session whose command output never ends with the prompt: send_command times out."""

    def __init__(self, closed: bool) -> None:
        self.remote_conn = SimpleNamespace(closed=closed, eof_received=closed)

    def send_command(self, command: str, **_: Any) -> str:
        raise ReadTimeout(f"Pattern not detected: prompt after {command!r}")


@pytest.mark.matrix("device fault during a backup", "session cut mid-output / prompt never returns (fake netmiko session)")
@pytest.mark.parametrize("closed", [True, False], ids=["channel-closed", "prompt-never-returns"])
@pytest.mark.parametrize("platform", sorted(p for p, d in all_drivers().items() if d.backup is not None))
def test_output_without_the_prompt_is_a_failed_fetch(monkeypatch, platform: str, closed: bool) -> None:
    """The second half of completeness: no prompt after the output means no configuration, for every platform."""
    monkeypatch.setattr(fetch, "open_reader", lambda task, driver, options: _Session(closed))
    monkeypatch.setattr(fetch, "close", lambda task, graceful=False: None)
    options = fetch.FetchOptions(timeout=1)
    with pytest.raises((EOFError, ReadTimeout)) as caught:
        task: Any = SimpleNamespace()  # open_session and close are replaced: no nornir task is needed
        fetch.fetch_config(task, get_driver(platform), options)
    reason = fetch.describe(caught.value, options.timeout)
    assert reason.startswith("connection lost" if closed else "no complete reply")
