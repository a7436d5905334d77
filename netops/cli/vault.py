"""``netops vault`` (init, status, rekey): the encrypted secrets vault of the backups."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from netops.cli.options import BackupDirOpt, JsonOpt, ReasonOpt
from netops.cli.output import console, print_json
from netops.cli.progress import JobProgress
from netops.errors import InputError
from netops.settings import Settings

vault_app = typer.Typer(help="The secrets vault: what backups redact, encrypted with age (init, status, rekey).", no_args_is_help=True)


@vault_app.command("init")
def init(
    ctx: typer.Context,
    identity_out: Annotated[Path, typer.Option("--identity-out", metavar="FILE", help="Where to write the new private key "
                                               "(mode 0600): keep it offline, with the DR kit.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing FILE.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Make a key pair: the private key to FILE, the public key into vault.recipients of the netops.yaml in use.

    Exit 0: done, 2: bad input (FILE exists, no configuration file: the YAML to add is printed).
    """
    from netops.services.vault import init as make

    settings: Settings = ctx.obj
    result = make(settings, identity_out, force)
    if json_out:
        print_json(result.to_dict())
    else:
        console.print(f"wrote the private key to {result.identity_file} (mode 0600): keep it offline with the DR kit; "
                      "backups never need it", soft_wrap=True)
        console.print(f"public key: {result.recipient}", soft_wrap=True)
        if result.config_file is not None:
            console.print(f"added to vault.recipients in {result.config_file} ({len(result.recipients)} recipient(s)); "
                          "the next backup stores every device's secrets encrypted to them", soft_wrap=True)
        else:
            console.print("add this to a netops.yaml:", soft_wrap=True)
            console.print(Text(result.yaml.rstrip("\n")), soft_wrap=True)
    if result.config_file is None:
        raise InputError("netops runs without a configuration file, so none was changed: add the vault section above "
                         "to a netops.yaml (netops init writes one), then run netops backup", key="vault.recipients")


@vault_app.command("status")
def status(
    ctx: typer.Context,
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Per device: secrets stored or not, how many, the backup revision they come from. Exit 1 when a device is flagged."""
    from netops.services.vault import status as read

    settings: Settings = ctx.obj.override(backup_dir=backup_dir)
    state = read(settings)
    if json_out:
        print_json(state.to_dict())
    else:
        table = Table()
        for col in ("host", "site", "secrets stored", "secret lines", "revision", "date", "note"):
            table.add_column(col)
        for d in state.devices:
            stored = Text("yes", style="green") if d.stored else Text("no", style="bold red" if d.problem else "")
            when = datetime.fromisoformat(d.date).strftime("%Y-%m-%d %H:%M") if d.date else ""
            table.add_row(d.host, d.site, stored, "" if d.secrets is None else str(d.secrets), (d.commit or "")[:12],
                          when, Text(d.problem or "", style="red"))
        console.print(table)
        where = f" ({state.config_file})" if state.config_file else ""
        head = (f"vault on: {len(state.recipients)} recipient(s){where}" if state.enabled
                else f"vault off: no vault.recipients{where or ' (no configuration file)'}")
        stored_count = sum(d.stored for d in state.devices)
        console.print(f"{head}; {len(state.devices)} device(s), {stored_count} with secrets stored, {len(state.flagged)} flagged",
                      soft_wrap=True)
    raise typer.Exit(1 if state.flagged else 0)


@vault_app.command("rekey")
def rekey(
    ctx: typer.Context,
    identity: Annotated[Path, typer.Option("--identity", metavar="FILE", help="A private key the vault is encrypted to now.",
                                           show_default=False)],
    recipient: Annotated[Optional[list[str]], typer.Option("--recipient", metavar="AGE1...", help="A public key of the new set "
                                                           "(repeatable).", show_default=False)] = None,
    reason: ReasonOpt = None,
    backup_dir: BackupDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Re-encrypt every vault entry of the latest backups to a new key set (one commit) and put it in vault.recipients.

    Older revisions stay encrypted to the keys they were written with. Exit 0: done, 2: bad input.
    """
    from netops.cli.backup import trigger
    from netops.services.vault import rekey as run

    if not recipient:
        raise InputError("name at least one new recipient: --recipient age1...", key="--recipient")
    settings: Settings = ctx.obj.override(backup_dir=backup_dir)
    with JobProgress() as progress:
        result = run(settings, identity, recipient, trigger(), progress, reason=reason)
    if json_out:
        print_json(result.to_dict())
        return
    commit = f"; commit {result.commit[:12]}" if result.commit else "; nothing to commit (the vault has no entry)"
    console.print(f"re-encrypted {result.entries} vault entr{'y' if result.entries == 1 else 'ies'} to "
                  f"{len(result.recipients)} recipient(s){commit}", soft_wrap=True)
    console.print(f"vault.recipients in {result.config_file}: {', '.join(result.recipients)}", soft_wrap=True)
    if result.commit:
        old = ", ".join(result.previous) or "their previous keys"
        console.print(f"revisions before {result.commit[:12]} stay encrypted to {old}: keep that identity to read them",
                      soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(vault_app, name="vault")
