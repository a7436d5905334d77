"""aruba_aoscx configuration parser (WLANs, switch ports, SVIs)."""

from netops.model import ParsedConfig

PLATFORM = "aruba_aoscx"


def parse(text: str, host: str = "") -> ParsedConfig:
    return ParsedConfig(host=host, platform=PLATFORM)
