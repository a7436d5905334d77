"""Alerts delivered as they are raised and cleared: mail, webhook and syslog targets, deduplicated and
rate-limited."""
