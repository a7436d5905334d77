"""A finding in full: what the rule wants, what the device has, the waiver, where it was seen, and for a hardening
finding the commands that fix it.

``F`` remediates a hardening finding as ``netops remediate --rule RULE --host HOST`` does: netops first plans from
the device's running configuration, fetched now (nothing is changed), the confirmation shows the plan and asks
for a reason for the audit trail, and only then the fix is pushed, saved and checked again, as a job (6: Jobs).
The pane shows how it ended: fixed, incomplete (with the findings that remain) or failed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from netops.policy.findings import Finding
from netops.styles import SEVERITY_STYLE
from tui.format import said
from tui.jobs import Job, JobEvent
from tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from netops.services.remediate import HostPlan
    from tui.app import NetopsApp

MANUAL = "! manual: "  # a fix step netops never pushes (policy: manual rules)


def describe(f: Finding) -> Group:
    """Every field of a finding, each value whole (nothing cut to a column's width)."""
    head = Text.assemble((f.severity, SEVERITY_STYLE.get(f.severity, "")), f" {f.rule}  ", (f.title, "bold"))
    if f.waived:
        head.append("  (waived)", style="dim")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("host", Text(f"{f.host} ({f.site or 'no site'})"))
    grid.add_row("object", Text(f.object + (f" (line {f.line} of its configuration)" if f.line else "")))
    for d in f.details:
        grid.add_row(d.key, Text.assemble(("expected ", "dim"), d.expected))
        grid.add_row("", Text.assemble(("actual   ", "dim"), d.actual))
    if f.waiver:
        grid.add_row("waiver", Text(f.waiver + ("" if f.waived else " — expired: the finding counts again")))
    seen = f.source if f.source == "policy" else f"probe {f.source}" + (f" from {f.origin}" if f.origin else "")
    grid.add_row("found by", Text(seen + (f" at {f.observed}" if f.observed else "")))
    pushed = [c for c in f.fix if not c.startswith(MANUAL)]
    manual = [c.removeprefix(MANUAL) for c in f.fix if c.startswith(MANUAL)]
    if pushed:
        grid.add_row("fix", Text("\n".join(pushed), style="yellow"))
    if manual:
        grid.add_row("needs a human", Text("\n".join(manual), style="red"))
    return Group(head, Text(""), grid)


def plan_question(f: Finding, plan: HostPlan) -> str:
    """The confirmation of a remediation: what is pushed, what needs a human."""
    lines = [f"Remediate {f.rule} on {plan.host}?", "",
             f"Planned from the running configuration now, these {len(plan.commands)} command(s) will be pushed, "
             "saved, and the device checked again:", ""]
    lines += [f"  {c}" for c in plan.commands]
    if plan.manual:
        lines += ["", "Needs a human (never pushed):", *(f"  {m}" for m in plan.manual)]
    lines += ["", "Type a reason or ticket below (kept in the audit trail); enter pushes, esc cancels."]
    return "\n".join(lines)


def outcome(plan: HostPlan) -> Text:
    """How a remediation ended: fixed, incomplete with what remains, failed; or why nothing was pushed."""
    manual = f"; {len(plan.manual)} step(s) still need a human" if plan.manual else ""
    if plan.error:
        return Text(f"failed: {plan.error}", style="bold red")
    if plan.pushed and not plan.remaining:
        return Text(f"fixed: pushed {len(plan.commands)} command(s) and saved; checked again: no finding of the rule remains"
                    f"{manual} (the Compliance view shows it until the next check: c)", style="green")
    if plan.pushed:
        out = Text(f"incomplete: pushed {len(plan.commands)} command(s); {len(plan.remaining)} finding(s) remain:", style="bold red")
        for r in plan.remaining:
            out.append(f"\n  {r.get('rule')} {r.get('object')}: {r.get('message')}", style="red")
        return out
    return Text(f"nothing pushed: {plan.status}{manual}", style="yellow")


class RemediationPlanned(Message):
    def __init__(self, plan: HostPlan | None, error: str | None) -> None:
        super().__init__()
        self.plan, self.error = plan, error


class FindingScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,enter", "app.pop_screen", "Close"),
        Binding("d", "device", "Open device"),
        Binding("F", "remediate", "Remediate (push the fix)"),
    ]

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding
        self.job: Job | None = None  # the remediation started from here

    @property
    def napp(self) -> NetopsApp:
        return cast("NetopsApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="finding"):
            with VerticalScroll():
                yield Static(describe(self.finding), id="finding-text")
            yield Static(self.hint(), id="remediation")

    def on_mount(self) -> None:
        self.query_one("#remediation").display = bool(self.finding.fix)
        self.napp.job_signal.subscribe(self, self.on_job_event)

    def hint(self) -> Text:
        if not self.finding.fix:
            return Text("")
        if self.napp.read_only:
            return Text("read-only mode: remediation is disabled", style="yellow")
        if self.finding.waived:
            return Text("waived: netops remediate leaves it alone", style="dim")
        return Text("F remediates: netops plans from the running configuration, asks, then pushes, saves and checks again",
                    style="dim")

    def show_status(self, text: Text) -> None:
        status = self.query_one("#remediation", Static)
        status.update(text)
        status.display = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remediate":  # only a hardening finding carries a fix; read-only mode pushes nothing
            return bool(self.finding.fix) and not self.napp.read_only
        return True

    def action_device(self) -> None:
        from tui.screens.device import DeviceScreen

        self.app.pop_screen()
        self.app.push_screen(DeviceScreen(self.finding.host))

    # -- remediation ---------------------------------------------------------
    def action_remediate(self) -> None:
        """Plan from the live configuration (a worker), then ask before pushing."""
        f = self.finding
        if self.napp.read_only:
            self.notify("read-only mode: remediate is disabled", severity="warning")
        elif not f.fix:
            self.notify(f"{f.rule}: no fix to push (only hardening findings carry one)", severity="warning")
        elif f.waived:
            self.notify(f"{f.rule} on {f.host} is waived: netops remediate leaves it alone", severity="warning")
        elif self.job is not None and self.job.finished is None:
            self.notify(f"{self.job.title} is still running (6: Jobs)")
        else:
            self.show_status(Text(f"{f.host}: planning from the running configuration, fetched now (nothing is changed)…",
                                  style="dim"))
            self._plan()

    @work(thread=True, exclusive=True, group="remediate", exit_on_error=False)
    def _plan(self) -> None:
        try:
            plan = self.napp.source.remediate_preview(self.finding.host, self.finding.rule)
        except Exception as exc:  # a worker boundary: an unreachable device, a broken policy... are said in the pane
            self.post_message(RemediationPlanned(None, said(exc)))
            return
        self.post_message(RemediationPlanned(plan, None))

    def on_remediation_planned(self, message: RemediationPlanned) -> None:
        f, plan = self.finding, message.plan
        if plan is None or plan.error:
            self.show_status(Text(f"remediation plan failed: {message.error or (plan.error if plan else '')}", style="bold red"))
            return
        if not plan.commands:
            self.show_status(outcome(plan) if plan.manual else
                             Text(f"nothing to push: the running configuration of {f.host} already satisfies {f.rule}",
                                  style="green"))
            return
        self.show_status(Text(f"{len(plan.commands)} command(s) planned: confirm to push", style="dim"))
        question = ConfirmScreen(plan_question(f, plan), ask_reason=True)

        def confirmed(yes: bool | None) -> None:
            if not yes:
                self.show_status(Text("not pushed: the confirmation was declined", style="yellow"))
                return
            job = self.napp.start_job("remediate", [f.host], rule=f.rule, reason=question.reason or None)
            if job is not None:
                self.job = job
                self.show_status(Text(f"{job.title}: pushing, saving, checking again… (6: Jobs)", style="yellow"))

        self.app.push_screen(question, confirmed)

    def on_job_event(self, event: JobEvent) -> None:
        job = event.job
        if job is not self.job:
            return
        result = job.results.get(self.finding.host)
        payload: Any = result.payload if result is not None else None
        if job.error:
            self.show_status(Text(f"failed: {job.error}", style="bold red"))
        elif payload is not None and hasattr(payload, "remaining"):  # the HostPlan as it ended
            self.show_status(outcome(payload))
        elif result is not None:
            self.show_status(Text(f"{result.status.value}: {result.reason or ''}", style="red" if result.failed else "green"))
