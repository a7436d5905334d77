"""Helpers shared by the platform parsers: config trees, VLAN lists, security levels.

Nothing here knows a vendor: the vendor rules live in ``netops/drivers/<platform>/parser.py``.
"""
