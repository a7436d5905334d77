"""How FRR configurations (vtysh ``show running-config``) are fetched, validated and cleaned."""

from netops.drivers.base import REDACTED, BackupSpec, LineRule

R = REDACTED

SPEC = BackupSpec(
    commands=("show running-config",),
    privileged=True,
    # End marker: FRR's source prints ``end`` last on a terminal (lib/command.c config_write_terminal:
    # "if (vty->type == VTY_TERM) vty_out(vty, "end\n")"; vtysh.c ends its merged dump the same way);
    # required: ``frr version`` is printed first by the same function. Real capture: tests/data/backup/frr/jmu-wan.raw
    # (the lab's FRR container).
    end_marker=r"^end$",
    required=(r"^hostname \S", r"^frr version "),
    error_patterns=(r"^% Unknown command", r"^% Command incomplete", r"^% Ambiguous command", r"^% Can't open configuration"),
    volatile=(
        LineRule(r"^Building configuration\.\.\.$", None, "banner"),
        LineRule(r"^Current configuration:$", None, "banner"),
    ),
    secrets=(
        LineRule(r"^((?:enable )?password)(?: 8)? .*$", rf"\1 {R}", "vty password"),
        LineRule(r"^(\s*ip ospf authentication-key) .*$", rf"\1 {R}", "OSPF key"),
        LineRule(r"^(\s*ip ospf message-digest-key \d+ md5) .*$", rf"\1 {R}", "OSPF MD5 key"),
        LineRule(r"^(\s*neighbor \S+ password) .*$", rf"\1 {R}", "BGP password"),
        LineRule(r"^(\s*key-string) .*$", rf"\1 {R}", "key chain"),
    ),
)
