"""AOS-CX neighbour table: ``show lldp neighbor-info detail`` (AOS-CX Command-Line Interface Guide,
"show lldp neighbor-info"), read with ntc-templates' ``aruba_aoscx`` template."""

from netops.drivers.base import LineRule, NeighborSpec
from netops.parsing.neighbors import reader

LLDP = "show lldp neighbor-info detail"

SPEC = NeighborSpec(
    commands=(LLDP,),
    parser=reader("aruba_aoscx", {LLDP: ("lldp", ("neighbor_name", "chassis_id"), ("neighbor_port_id", "neighbor_interface"))}),
    volatile=(
        LineRule(r"^(Total )?Neighbor Entries( Deleted| Dropped| Aged-Out)?\s*:", None, "entry counters"),
        LineRule(r"^Power At PD Powered Interface\s*:", None, "measured power"),
    ),
)
