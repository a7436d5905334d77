"""Resilience: the campus graph of one site summarised per device (spof / single-homed / redundant / core), its single
points of failure with what each takes down, the redundancy findings, and a what-if prompt.

The audit (``netops resilience audit``) and every what-if (``netops resilience whatif``) run in thread workers and
post their answers back as messages. ``s`` moves to the next site; the audit runs again when a new backup arrives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from netops.policy.findings import Finding
from netops.resilience.audit import SinglePoint
from netops.resilience.whatif import Impact
from netops.services.resilience import Audit
from netops.services.state import Snapshot
from netops.styles import SEVERITY_STYLE
from tui.format import said
from tui.screens.base import NetopsScreen
from tui.screens.compliance import finding_key
from tui.screens.device import DeviceScreen
from tui.screens.finding import FindingScreen
from tui.widgets.virtual_table import Row, VirtualTable

TABS = ("res-devices", "res-spofs", "res-findings")
STATE_STYLE = {"spof": "bold red", "single-homed": "yellow", "redundant": "green", "core": "cyan"}
STATE_ORDER = ("spof", "single-homed", "redundant", "core")  # problems first
SCOPE_STYLE = {"campus": "red", "edge": "yellow"}
FINDING_COLUMNS = [("host", "Host"), ("rule", "Rule"), ("object", "Object"), ("severity", "Sev"), ("expected", "Expected"),
                   ("actual", "Actual")]


def parse_failures(text: str) -> tuple[list[str], list[str]]:
    """The prompt's devices and links (``A:IF-B:IF``, the ones with a colon), separated by spaces or commas."""
    names = [t for t in re.split(r"[\s,]+", text.strip()) if t]
    return [n for n in names if ":" not in n], [n for n in names if ":" in n]


def names(values: Iterable[object]) -> str:
    return ", ".join(map(str, values)) or "-"


def few(values: list[str], shown: int = 2) -> str:
    """``jmu-acc-1, jmu-acc-2 +4``: a long list cut to fit a cell."""
    return names(values) if len(values) <= shown + 1 else f"{names(values[:shown])} +{len(values) - shown}"


def brief(impact: Impact) -> str:
    """``cuts off jmu-acc-4 · 2 AP(s) · 4 SSID(s) · 65 clients``: a single point's loss in one cell."""
    parts = []
    if impact.isolated:
        parts.append(f"cuts off {names(impact.isolated)}" if len(impact.isolated) <= 2 else f"cuts off {len(impact.isolated)}")
    if impact.vlans_without_gateway:
        parts.append(f"VLANs {names(impact.vlans_without_gateway)}")
    if impact.aps_without_service:
        parts.append(f"{len(impact.aps_without_service)} AP(s)")
    if impact.ssids_affected:
        parts.append(f"{len(impact.ssids_affected)} SSID(s)")
    if impact.clients_affected:
        parts.append(f"{impact.clients_affected} clients")
    return " · ".join(parts) or "-"


def impact_lines(impact: Impact) -> RenderableType:
    """What stops working, one effect a line (as ``netops resilience whatif`` prints it); long lists wrap in their column."""
    if impact.harmless:
        return Text("nothing else stops working: the campus absorbs this failure", style="green")
    aps = impact.aps_without_service
    clients = impact.clients_affected
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value, lost in (
        ("cut off from the core", names(impact.isolated), bool(impact.isolated)),
        ("VLANs without a gateway", names(impact.vlans_without_gateway), bool(impact.vlans_without_gateway)),
        ("APs without service", f"{len(aps)}: {names(aps)}" if aps else "-", bool(aps)),
        ("SSIDs affected", names(impact.ssids_affected), False),
        ("clients affected", "unknown (never polled)" if clients is None else str(clients), False),
    ):
        grid.add_row(label, Text(value, style="red" if lost else ""))
    return grid


def site_of_names(failed: list[str], snapshot: Snapshot | None) -> str | None:
    """The one site of every device named (alone or as a link's end ``DEVICE:PORT``); None when unknown or mixed."""
    if snapshot is None:
        return None
    sites = {d.name: d.site for d in snapshot.devices} | {a.name: a.site for a in snapshot.aps}
    found = set()
    for name in failed:
        if ":" not in name:
            found.add(sites.get(name))
        else:
            found |= {site for device, site in sites.items() if name.startswith(f"{device}:") or f"-{device}:" in name} or {None}
    return found.pop() if len(found) == 1 and None not in found else None


class AuditLoaded(Message):
    def __init__(self, site: str | None, audit: Audit | None, error: str | None) -> None:
        super().__init__()
        self.site, self.audit, self.error = site, audit, error


class WhatifAnswered(Message):
    def __init__(self, failed: list[str], site: str | None, impact: Impact | None, error: str | None) -> None:
        super().__init__()
        self.failed, self.site, self.impact, self.error = failed, site, impact, error


class ResilienceScreen(NetopsScreen):
    BINDINGS = [
        Binding("right_square_bracket", "tab(1)", "Next tab"),
        Binding("left_square_bracket", "tab(-1)", "Prev tab", show=False),
        Binding("w", "fail_row", "Fail row"),
        # priority: the names typed right behind ``f`` already go to the prompt (as ``/`` does for the filters)
        Binding("f", "prompt", "What-if", priority=True),
        Binding("s", "next_site", "Site"),
        Binding("escape", "close", "Close what-if", show=False),
    ]
    AUTO_FOCUS = "#resilience-devices"

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: Snapshot | None = None
        self.sites: list[str] = []
        self.site: str | None = None
        self.audit: Audit | None = None
        self.audit_site: str | None = None  # the site the shown audit is of
        self.error: str | None = None
        self.loading_for: tuple[object, ...] | None = None  # the site and backups the audit was (or is being) read for
        self.findings: dict[str, Finding] = {}
        self.answer: Impact | None = None  # the last what-if's

    def body(self) -> ComposeResult:
        yield Static(Text("loading…", style="dim"), id="resilience-summary")
        with TabbedContent(id="resilience-tabs"):
            with TabPane("Devices", id="res-devices"):
                yield VirtualTable([("device", "Device"), ("role", "Role"), ("state", "State"), ("links", "Links"),
                                    ("neighbours", "Neighbours"), ("aps", "APs"), ("loss", "If it fails")],
                                   flex=("neighbours", "loss"), id="resilience-devices")
            with TabPane("Single points", id="res-spofs"):
                yield VirtualTable([("what", "Device or link"), ("scope", "Scope"), ("isolated", "Cuts off"), ("vlans", "VLANs"),
                                    ("aps", "APs without service"), ("ssids", "SSIDs"), ("clients", "Clients")],
                                   flex=("what", "isolated", "aps", "ssids"), id="resilience-spofs")
            with TabPane("Findings", id="res-findings"):
                yield VirtualTable(FINDING_COLUMNS, flex=("expected", "actual"), id="resilience-findings")
        result = Static(id="whatif-result")
        result.display = False
        yield result
        prompt = Input(placeholder="f: what if… devices and links A:IF-B:IF fail (spaces or commas; enter runs it)", id="whatif")
        prompt.cursor_blink = False  # a steady cursor: stable screenshots
        yield prompt

    # -- loading -------------------------------------------------------------
    def show(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.sites = sorted({d.site for d in snapshot.devices if d.site})
        if self.site is None and self.sites:
            self.site = self.sites[0]
        self.reload()

    def reload(self) -> None:
        """Audit the site again when it changed or a new backup arrived."""
        backups = tuple((d.name, d.last_backup) for d in self.snapshot.devices) if self.snapshot else ()
        wanted = (self.site, backups)
        if wanted == self.loading_for:
            return
        self.loading_for = wanted
        if self.audit is None or self.audit_site != self.site:
            self.query_one(TabbedContent).loading = True  # nothing of this site to show yet
            self.query_one("#resilience-summary", Static).update(Text(f"{self.site or 'every site'} · reading the campus model…",
                                                                      style="dim"))
        self.load_audit(self.site)

    @work(thread=True, exclusive=True, group="resilience", exit_on_error=False)
    def load_audit(self, site: str | None) -> None:
        try:
            audit = self.napp.source.resilience(site)
        except Exception as exc:  # a worker boundary: no backups yet, a broken topology... are said in the view
            self.post_message(AuditLoaded(site, None, said(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(AuditLoaded(site, audit, None))

    def on_audit_loaded(self, message: AuditLoaded) -> None:
        if message.site != self.site:
            return  # the reader moved to another site meanwhile
        self.audit, self.audit_site, self.error = message.audit, message.site, message.error
        self.query_one(TabbedContent).loading = False
        self.redraw()

    # -- drawing -------------------------------------------------------------
    def redraw(self) -> None:
        summary = self.query_one("#resilience-summary", Static)
        audit = self.audit
        tables = [self.query_one(f"#{t}", VirtualTable) for t in ("resilience-devices", "resilience-spofs", "resilience-findings")]
        if audit is None:
            summary.update(Text(f"{self.site or 'every site'}: {self.error or 'no audit yet'}", style="red"))
            for table in tables:
                table.set_rows([])
            return
        summary.update(self.summary_line(audit))
        devices, spofs, findings = tables
        devices.set_rows(self.device_rows(audit))
        spofs.set_rows([(self.point_key(p), self.point_cells(p)) for p in audit.single_points])
        self.findings = {finding_key(f): f for f in audit.findings}
        findings.set_rows([
            (finding_key(f), (Text(f.host, style="dim" if f.waived else ""), f.rule, Text(f.object, style="dim" if f.waived else ""),
                              Text(f.severity, style="dim" if f.waived else SEVERITY_STYLE.get(f.severity, "")),
                              Text(f.expected, style="dim" if f.waived else ""),
                              Text(f.actual + (" (waived)" if f.waived else ""), style="dim" if f.waived else "")))
            for f in audit.findings
        ])

    def summary_line(self, audit: Audit) -> Text:
        """``jammu · 8 devices: 2 spof, 1 single-homed, 4 redundant, 1 core · 18 links · 3 campus-wide SPOF(s) + 4 edge · …``"""
        counts = {s: sum(v == s for v in audit.devices.values()) for s in STATE_ORDER}
        line = Text.assemble((self.site or "every site", "bold"), f" · {len(audit.devices)} devices: ")
        for n, state in enumerate(STATE_ORDER):
            line.append(", " if n else "").append(f"{counts[state]} {state}", style=STATE_STYLE[state] if counts[state] else "")
        campus = sum(p.scope == "campus" for p in audit.single_points)
        edge = len(audit.single_points) - campus
        line.append(f" · {len(audit.links)} links · ")
        line.append(f"{campus} campus-wide SPOF(s)" if campus else "no campus-wide single point of failure",
                    style="red" if campus else "green")
        if edge:
            line.append(f" + {edge} edge")
        active = sum(not f.waived for f in audit.findings)
        line.append(f" · {active} finding(s)" + (f" + {audit.waived} waived" if audit.waived else ""))
        if not audit.clients_known:
            line.append(" · clients unknown (netops poll)", style="dim")
        if audit.notices:
            line.append(f" · {len(audit.notices)} notice(s): {audit.notices[0].message}", style="yellow")
        return line

    def device_rows(self, audit: Audit) -> list[Row]:
        roles = {d.name: d.role for d in self.snapshot.devices} if self.snapshot else {}
        neighbours: dict[str, list[str]] = {d: [] for d in audit.devices}
        aps: dict[str, int] = dict.fromkeys(audit.devices, 0)
        for link in audit.links:
            for one, other in ((link.a.device, link.b.device), (link.b.device, link.a.device)):
                if one not in audit.devices:
                    continue
                if other in audit.devices:
                    neighbours[one].append(other)
                else:
                    aps[one] += 1
        losses = {p.device: p for p in audit.single_points if p.device}
        rows: list[Row] = []
        for device, state in sorted(audit.devices.items(), key=lambda kv: (STATE_ORDER.index(kv[1]) if kv[1] in STATE_ORDER else 9,
                                                                          kv[0])):
            loss = losses.get(device)
            rows.append((device, (device, roles.get(device, ""), Text(state, style=STATE_STYLE.get(state, "")),
                                  str(len(neighbours[device])), few(sorted(set(neighbours[device]))), str(aps[device]),
                                  Text(f"{loss.scope}: {brief(loss.impact)}" if loss else "-",
                                       style=SCOPE_STYLE.get(loss.scope, "") if loss else "dim"))))
        return rows

    @staticmethod
    def point_key(p: SinglePoint) -> str:
        return f"link|{p.link}" if p.link else f"device|{p.device}"

    @staticmethod
    def point_cells(p: SinglePoint) -> tuple[Text | str, ...]:
        i = p.impact
        aps = i.aps_without_service
        return (p.device or p.link or "", Text(p.scope, style=SCOPE_STYLE.get(p.scope, "")), names(i.isolated),
                names(i.vlans_without_gateway), f"{len(aps)}: {names(aps)}" if aps else "-", names(i.ssids_affected),
                "-" if i.clients_affected is None else str(i.clients_affected))

    # -- what-if -------------------------------------------------------------
    def whatif(self, text: str) -> None:
        """Run the what-if of ``text`` (devices and links) in a worker; the answer fills the result panel."""
        devices, links = parse_failures(text)
        failed = devices + links
        if not failed:
            self.show_result("What if…", Text("name a device or a link A:IF-B:IF that fails", style="red"))
            return
        site = site_of_names(failed, self.snapshot) or self.site
        if site != self.site:  # the what-if is about another campus: show that one
            self.site = site
            self.reload()
        self.show_result(self.title_of(failed, site), Text("working it out…", style="dim"))
        self.run_whatif(devices, links, site)

    @work(thread=True, exclusive=True, group="whatif", exit_on_error=False)
    def run_whatif(self, devices: list[str], links: list[str], site: str | None) -> None:
        try:
            answer = self.napp.source.whatif(devices, links, site)
        except Exception as exc:  # a worker boundary: an unknown device or link is said in the panel
            self.post_message(WhatifAnswered(devices + links, site, None, said(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(WhatifAnswered(devices + links, site, answer, None))

    def on_whatif_answered(self, message: WhatifAnswered) -> None:
        self.answer = message.impact
        body = impact_lines(message.impact) if message.impact is not None else Text(message.error or "", style="bold red")
        self.show_result(self.title_of(message.failed, message.site), body)

    @staticmethod
    def title_of(failed: list[str], site: str | None) -> str:
        return f"What if {', '.join(failed)} fail{'s' if len(failed) == 1 else ''}" + (f" · {site}" if site else "")

    def show_result(self, title: str, body: RenderableType) -> None:
        panel = self.query_one("#whatif-result", Static)
        panel.border_title = title
        panel.update(body)
        panel.display = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """``enter`` runs the what-if, keeps the text (``f`` edits it) and hands the keys back to the table."""
        event.stop()
        self.whatif(event.value)
        if event.value.strip():
            self.set_focus(self.current_table())

    def current_table(self) -> VirtualTable:
        return self.query_one(f"#{self.query_one(TabbedContent).active} VirtualTable", VirtualTable)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "prompt" and isinstance(self.focused, Input):
            return False  # an "f" typed in the prompt is part of a name
        return super().check_action(action, parameters)

    def action_prompt(self) -> None:
        self.set_focus(self.query_one("#whatif", Input))

    def action_fail_row(self) -> None:
        """The what-if of the row under the cursor: its device or link (a finding: its host)."""
        table = self.current_table()
        key = table.cursor_key
        if key is None:
            return
        if table.id == "resilience-devices":
            name = key
        elif table.id == "resilience-spofs":
            name = key.partition("|")[2]  # device|NAME or link|A:IF-B:IF
        else:
            name = self.findings[key].host
        self.query_one("#whatif", Input).value = name
        self.whatif(name)

    def action_close(self) -> None:
        """``esc``: leave the prompt for the table; then close the what-if panel."""
        if isinstance(self.focused, Input):
            self.set_focus(self.current_table())
        else:
            self.query_one("#whatif-result", Static).display = False

    def action_next_site(self) -> None:
        if len(self.sites) > 1:
            self.site = self.sites[(self.sites.index(self.site) + 1) % len(self.sites)] if self.site in self.sites else self.sites[0]
            self.reload()

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + step) % len(TABS)]
        self.current_table().focus()

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        """``enter``: a device opens it, a single point shows its what-if in full, a finding opens in full."""
        if event.table.id == "resilience-devices":
            self.app.push_screen(DeviceScreen(event.key))
        elif event.table.id == "resilience-spofs":
            self.action_fail_row()
        else:
            finding = self.findings.get(event.key)
            if finding is not None:
                self.app.push_screen(FindingScreen(finding))
