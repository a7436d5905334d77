"""cisco_wlc restore: commands that bring a running config back to a stored one."""


def remediation(running: str, intended: str) -> list[str]:
    raise NotImplementedError
