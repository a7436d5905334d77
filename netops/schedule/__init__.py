"""When netops runs its jobs: the schedule of netops.yaml as systemd timers (or a crontab) and their next runs."""
