"""Rates from SNMP counters: 32/64-bit wrap, counter resets and reboots.

- A counter that went backwards wrapped once if it is 32-bit; a 64-bit counter
  never wraps in practice, so going backwards means it was reset: no rate.
- sysUpTime (hundredths of a second, 32-bit) that went backwards means a reboot
  (every counter restarted: no rate), unless it merely wrapped after 497 days,
  which the wall-clock interval tells apart.
"""

from __future__ import annotations

UPTIME_MODULUS = 2**32
UPTIME_SLACK = 3000  # hundredths of a second of clock disagreement tolerated


def counter_delta(previous: int | None, current: int | None, bits: int) -> int | None:
    """Increase of a counter between two reads, or None when unknown (reset)."""
    if previous is None or current is None:
        return None
    if not (0 <= previous < 2**bits and 0 <= current < 2**bits):  # not a counter of that width (a wrong type)
        return None
    if current >= previous:
        return current - previous
    if bits == 32:
        return current + 2**32 - previous
    return None


def rebooted(previous_uptime: int | None, current_uptime: int | None, wall_seconds: float) -> bool:
    """True when sysUpTime went backwards other than by its own 32-bit wrap."""
    if previous_uptime is None or current_uptime is None or current_uptime >= previous_uptime:
        return False
    expected = previous_uptime + int(wall_seconds * 100)
    if expected >= UPTIME_MODULUS:  # sysUpTime wrapped: it must now be near expected - 2**32
        return abs(current_uptime - (expected - UPTIME_MODULUS)) > UPTIME_SLACK
    return True


def rate(previous: int | None, current: int | None, bits: int, seconds: float, reboot: bool) -> float | None:
    """Per-second rate of a counter, or None after a reboot, a reset, or on the first read."""
    if reboot or seconds <= 0:
        return None
    delta = counter_delta(previous, current, bits)
    return None if delta is None else delta / seconds
