#!/usr/bin/env bash
# The daily job on the built-in lab of both campuses:
# inventory -> lab -> vault -> backup -> DR drill -> SNMP poll -> compliance check -> resilience audit -> security -> report -> dashboard.
# Leaves the lab running for exploration; `netops lab down` stops it.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export NETOPS_LAB=1
export NETOPS_DATA_DIR="${NETOPS_DATA_DIR:-$PWD/.demo-data}"
export NETOPS_CONFIG="$NETOPS_DATA_DIR/netops.yaml"
KIT="$NETOPS_DATA_DIR/dr-kit"  # the demo's DR kit; on a real server it is kept offline
mkdir -p "$NETOPS_DATA_DIR"
[ -f "$NETOPS_CONFIG" ] || echo "# netops configuration of the demo (netops vault init adds the vault's public key)" > "$NETOPS_CONFIG"

step() { printf '\n\033[1;36m== %s\033[0m\n' "$*"; }

step "The lab of both campuses"
netops lab status >/dev/null 2>&1 || netops lab up || exit $?
netops lab status

step "Inventory, mapped onto the lab"
netops inventory check || exit $?
netops inventory list

step "The secrets vault: a key pair for the demo (the private key belongs in the DR kit)"
mkdir -p "$KIT"
[ -f "$KIT/netops-vault.key" ] || netops vault init --identity-out "$KIT/netops-vault.key" || exit $?

step "Config backup of every SSH-managed device (secrets into the vault)"
netops backup
netops backup status
netops vault status

step "Disaster-recovery drill: wipe the Jammu campus, rebuild it from the backups and the vault, verify"
netops dr drill --site jammu --lab --identity "$KIT/netops-vault.key"

step "One SNMP poll cycle"
netops poll --once >/dev/null
netops status

step "Hardware and software facts of every device and of the controllers' APs (the check's software rules judge them)"
netops inventory facts >/dev/null
netops inventory facts --stored --role core --role wlc

step "Wi-Fi and VLAN compliance (the lab carries deliberate violations)"
netops check --fail-on critical
echo "(exit code $? : 1 means findings at or above --fail-on)"

step "Resilience: the single points of failure of Srinagar, and what losing its first core switch takes down"
netops resilience audit --site srinagar
echo "(exit code $? : 1 means single points of failure or redundancy findings)"
netops resilience whatif --fail srn-core-1

step "Security: the hardening plan for jmu-acc-3 (weak on purpose; --dry-run changes nothing), the audit trail, personal data"
netops remediate --host jmu-acc-3 --dry-run
netops audit verify
netops privacy report

step "Daily status report (the day so far), next to the dashboard's snapshot"
netops report daily -o "$NETOPS_DATA_DIR/daily-report.html"
netops report daily -o "$NETOPS_DATA_DIR/daily-report.pdf" 2>/dev/null
netops tui --snapshot "$NETOPS_DATA_DIR/dashboard.svg"
ls -l "$NETOPS_DATA_DIR"/daily-report.* "$NETOPS_DATA_DIR/dashboard.svg"

step "Dashboard"
if [ -t 0 ] && [ -t 1 ] && [ -z "${CI:-}" ]; then
  netops tui
else
  netops tui --snapshot -
fi
echo
echo "The lab is still running: 'NETOPS_LAB=1 .venv/bin/netops tui' to explore, '.venv/bin/netops lab down' to stop it."
echo "The day's report: $NETOPS_DATA_DIR/daily-report.html (and .pdf); the dashboard: $NETOPS_DATA_DIR/dashboard.svg"
