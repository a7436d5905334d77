"""The drill's evidence: JSON for machines, one self-contained HTML page for the audit file."""

from __future__ import annotations

import json

from jinja2 import Environment, FileSystemLoader, select_autoescape

from netops import __version__, defaults
from netops.dr.drill import Drill


def as_json(drill: Drill) -> str:
    return json.dumps(drill.to_dict(), indent=2) + "\n"


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 120:
        return f"{value:.1f} s"
    if value < 7200:
        return f"{value / 60:.1f} min"
    return f"{value / 3600:.1f} h"


def html(drill: Drill) -> str:
    env = Environment(loader=FileSystemLoader(str(defaults.path("dr"))), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["seconds"] = _seconds
    return env.get_template("drill.html.j2").render(d=drill, version=__version__)
