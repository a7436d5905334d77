#!/usr/bin/env bash
# Debian packages netops' lab, tests and benchmarks use. Idempotent; needs root
# (or sudo). Skips the install when every package is already present.
set -euo pipefail
packages=(
  git tmux            # backup store, end-to-end dashboard test
  snmp snmpd          # net-snmp tools (cross-checks) and agent (benchmarks)
  rancid              # the classic peer in bench/backup.py
  frr openvswitch-switch dnsmasq-base iproute2 nftables  # namespace tier of the lab
  openssh-server      # the lab runs `sshd -i` per SSH session into its FRR routers
  prometheus-snmp-exporter  # the peer in bench/snmp.py
  python3-gdbm        # gdbm indices for the lab's snmpsim agents (labs/sim/snmp_index.py)
  libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core  # WeasyPrint: the daily report's PDF
  chromium            # the daily report's HTML rendered in a real browser (tests, docs/report.md)
  redis-server        # the distributed engine's broker in the Celery tests and bench/distributed.py
  systemd             # systemd-analyze: the schedule tests check every OnCalendar= line (no running systemd needed)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian packages: ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
