"""IOS-XE neighbour tables: CDP and LLDP details, read with ntc-templates' ``cisco_ios`` templates."""

from netops.drivers.base import LineRule, NeighborSpec
from netops.parsing.neighbors import reader

CDP, LLDP = "show cdp neighbors detail", "show lldp neighbors detail"

SPEC = NeighborSpec(
    commands=(CDP, LLDP),
    parser=reader("cisco_ios", {
        CDP: ("cdp", ("neighbor_name",), ("neighbor_interface",)),
        LLDP: ("lldp", ("neighbor_name", "chassis_id"), ("neighbor_port_id", "neighbor_interface")),
    }),
    volatile=(
        LineRule(r"^Holdtime\s*:", None, "CDP hold time"),
        # the template needs the line (it ends the System Description): kept, without the count
        LineRule(r"^(Time remaining:).*$", r"\1 -", "LLDP time to live"),
    ),
)
