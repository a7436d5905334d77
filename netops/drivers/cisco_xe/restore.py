"""IOS-XE restore: hier_config remediation from the running to the stored configuration, pushed line by line.

Removing a local user or the enable secret needs no secret (Cisco IOS XE Security
Command Reference: ``no username name``; ``no enable secret [level level]``), so those
negations are pushed without the redacted value.
"""

import re
from typing import Any

from netops.drivers.push import push_lines
from netops.drivers.remediation import Negation, hier_remediation, without_secrets

SECRET_FREE = (
    Negation(r"^(\s*)no (username \S+)\b.*$", r"\1no \2"),
    Negation(r"^(\s*)no (enable secret)(?: \d)?(?: level (\d+))?\b.*$", r"\1no \2"),
)

# IOS answers a configuration line with the next ``host(<mode>)#`` prompt, after an error that starts with
# ``%`` when it refuses it (``% Invalid input detected at '^' marker.``, ``% Incomplete command.``, ``% Ambiguous
# command: ...``: Cisco IOS XE Configuration Fundamentals, "Using the Command-Line Interface"). Not every mode
# starts with ``config``: ``ip dhcp pool`` gives ``(dhcp-config)``, ``crypto pki trustpoint`` ``(ca-trustpoint)``,
# ``crypto ipsec transform-set`` ``(cfg-crypto-trans)``.
CONFIG_PROMPT = re.compile(r"^\S+\([^()\s]+\)#[ \t]*$", re.M)
REFUSED = re.compile(r"^% ?(Invalid|Incomplete|Ambiguous|Unrecognized|Unknown|Bad|Error)\b.*$", re.M)
# ``banner <kind> <delimiter>`` alone on its line opens text entry: IOS answers it with this line instead of the
# prompt, takes the lines that follow as text (no prompt after them) up to the delimiter's second occurrence, then
# prints the prompt (Cisco IOS Configuration Fundamentals Command Reference, ``banner motd``).
TEXT_ENTRY = re.compile(r"^Enter TEXT message\..*\r?\n", re.M)


def remediation(running: str, intended: str) -> list[str]:
    return without_secrets(hier_remediation(running, intended, "iosxe"), SECRET_FREE)


def push(conn: Any, commands: list[str], timeout: float) -> str:
    """Each line confirmed by its echo and the next configuration prompt (a banner's text by its echo, the banner by
    the prompt after its last line); the first refusal or lost session stops the push
    (:class:`netops.drivers.push.PushFailed`, with what was applied)."""
    return push_lines(conn, commands, timeout, CONFIG_PROMPT, REFUSED, TEXT_ENTRY)
