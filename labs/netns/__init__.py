"""The lab's namespace tier (``netops lab up --netns``, root only): FRR routers,
Open vSwitch access switches rendered from the lab's switch configurations,
zone hosts and DHCP servers, all inside network namespaces named after the lab.

See :mod:`labs.netns.plan` for what is built and ``docs/probes.md`` for its use.
"""

from labs.netns.build import down, render_ports, require_root, require_tools, up
from labs.netns.state import NetnsState, load, plan_file

__all__ = ["NetnsState", "down", "load", "plan_file", "render_ports", "require_root", "require_tools", "up"]
