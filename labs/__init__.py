"""The secretariat lab: containerlab topologies, startup configs, and the local
simulator that runs them where containerlab and docker are absent."""

from pathlib import Path

LABS_DIR = Path(__file__).resolve().parent
DEFAULT_TOPOLOGY = LABS_DIR / "secretariat.clab.yml"
