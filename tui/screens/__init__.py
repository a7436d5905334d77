"""The dashboard's views; ``MODES`` maps each ``:`` alias target to its screen."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from tui.screens.alert_history import AlertHistoryScreen
from tui.screens.audit import AuditRecordScreen, AuditScreen
from tui.screens.backups import BackupsScreen
from tui.screens.base import NetopsScreen
from tui.screens.clients import ClientsScreen
from tui.screens.compliance import ComplianceScreen
from tui.screens.device import DeviceScreen
from tui.screens.devices import DevicesScreen
from tui.screens.diff import DiffScreen, DriftScreen
from tui.screens.finding import FindingScreen
from tui.screens.grep import GrepScreen
from tui.screens.jobs import JobsScreen
from tui.screens.overview import OverviewScreen
from tui.screens.privacy import PrivacyScreen
from tui.screens.resilience import ResilienceScreen
from tui.screens.snapshots import SnapshotsScreen
from tui.screens.wifi import WifiScreen

VIEWS: dict[str, type[NetopsScreen]] = {
    "overview": OverviewScreen,
    "devices": DevicesScreen,
    "compliance": ComplianceScreen,
    "wifi": WifiScreen,
    "backups": BackupsScreen,
    "jobs": JobsScreen,
    "resilience": ResilienceScreen,
    "audit": AuditScreen,
}
MODES: dict[str, str | Callable[[], Screen]] = dict(VIEWS)  # typed the way App.MODES is
HELP_SCREENS: dict[str, type[Screen]] = {**VIEWS, "device": DeviceScreen, "diff": DiffScreen, "drift": DriftScreen,
                                         "grep": GrepScreen, "alerts": AlertHistoryScreen, "finding": FindingScreen,
                                         "audit record": AuditRecordScreen, "clients": ClientsScreen, "privacy": PrivacyScreen,
                                         "snapshots": SnapshotsScreen}
