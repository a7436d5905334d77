"""The dashboard's views; ``MODES`` maps each ``:`` alias target to its screen."""

from __future__ import annotations

from tui.screens.backups import BackupsScreen
from tui.screens.compliance import ComplianceScreen
from tui.screens.device import DeviceScreen
from tui.screens.devices import DevicesScreen
from tui.screens.diff import DiffScreen
from tui.screens.jobs import JobsScreen
from tui.screens.overview import OverviewScreen
from tui.screens.wifi import WifiScreen

MODES = {
    "overview": OverviewScreen,
    "devices": DevicesScreen,
    "compliance": ComplianceScreen,
    "wifi": WifiScreen,
    "backups": BackupsScreen,
    "jobs": JobsScreen,
}
HELP_SCREENS = {**MODES, "device": DeviceScreen, "diff": DiffScreen}
