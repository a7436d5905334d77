"""cisco_wlc configuration parser (WLANs, switch ports, SVIs)."""

from netops.model import ParsedConfig

PLATFORM = "cisco_wlc"


def parse(text: str, host: str = "") -> ParsedConfig:
    return ParsedConfig(host=host, platform=PLATFORM)
