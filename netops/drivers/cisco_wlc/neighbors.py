"""AireOS neighbour table: CDP details, read with ntc-templates' ``cisco_wlc_ssh`` template (AireOS has no LLDP)."""

from netops.drivers.base import LineRule, NeighborSpec
from netops.parsing.neighbors import reader

CDP = "show cdp neighbors detail"

SPEC = NeighborSpec(
    commands=(CDP,),
    parser=reader("cisco_wlc_ssh", {CDP: ("cdp", ("chassis_id",), ("neighbor_interface",))}),
    volatile=(LineRule(r"^Holdtime\s*:", None, "CDP hold time"),),
)
