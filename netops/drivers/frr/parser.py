"""FRR configurations carry no WLANs, switch ports or SVIs: routers only need backing up."""

from netops.model import ParsedConfig


def parse(text: str, host: str = "") -> ParsedConfig:
    return ParsedConfig(host=host, platform="frr")
