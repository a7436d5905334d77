"""When netops runs its jobs: the schedule of netops.yaml as systemd timers (or a crontab) and their next runs.

- :mod:`netops.schedule.jobs`: the typed jobs of the ``schedule`` section (``every`` or ``at``, in the configured
  time zone), the command each runs, their next runs.
- :mod:`netops.schedule.systemd`: ``netops-<job>.service`` / ``.timer`` units, ``OnCalendar=`` naming the zone.
- :mod:`netops.schedule.cron`: the ``# BEGIN netops schedule`` block of a crontab, times converted to the server's zone.

Nothing here writes a file or runs a command: :mod:`netops.services.schedule` does, for ``netops schedule``.
"""
