"""The report's charts as inline SVG: no JavaScript, no network, the same in a browser, a mail client and the PDF.

Clients per SSID over the day come from pygal; the availability strip (one row per
device or AP, coloured by state over the day) is drawn directly, as it is a
timeline rather than a plot.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pygal
from pygal.style import Style

from netops.report.availability import DOWN, MAINTENANCE, NODATA, UP, Availability
from netops.report.model import SsidClients

SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
STATE_COLOURS = {UP: "#2e7d32", DOWN: "#c62828", NODATA: "#bdbdbd", MAINTENANCE: "#1565c0"}
STYLE = Style(background="white", plot_background="white", font_family="DejaVu Sans, sans-serif", foreground="#333",
              foreground_strong="#111", foreground_subtle="#999", label_font_size=10, major_label_font_size=10,
              legend_font_size=11, colors=("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#4e342e"))


def clients(ssids: list[SsidClients], zone: dt.tzinfo, start: dt.datetime, end: dt.datetime) -> str:
    """A line per SSID: clients on the campus over the day."""
    ticks = []
    tick = start.astimezone(zone).replace(minute=0, second=0, microsecond=0)
    while tick <= end:
        if tick >= start and tick.hour % 3 == 0:
            ticks.append(tick)
        tick += dt.timedelta(hours=1)
    points = max((len(s.series) for s in ssids), default=0)
    chart = pygal.DateTimeLine(
        js=[], disable_xml_declaration=True, width=760, height=240, show_dots=points < 30, dots_size=2, style=STYLE,
        legend_at_bottom=True, legend_at_bottom_columns=4, truncate_legend=30, x_label_rotation=0,
        x_value_formatter=lambda d: d.astimezone(zone).strftime("%H:%M"), range=(0, max([s.peak for s in ssids] + [1])),
        xrange=(start, end), x_labels=ticks or [start, end],
    )
    for s in ssids:
        chart.add(s.ssid, [(dt.datetime.fromtimestamp(t, dt.timezone.utc), n) for t, n in s.series])
    return SCRIPT.sub("", str(chart.render(is_unicode=True)))  # pygal always adds its config script: no JS in a report


def strip(entities: list[Availability], start: float, end: float, zone: dt.tzinfo, width: int = 760, row: int = 12) -> str:
    """One row per entity across the day, coloured up / down / no data / maintenance, with hour ticks."""
    label_w, top = 150, 16
    plot_w = width - label_w - 8
    span = max(end - start, 1.0)
    height = top + row * len(entities) + 20

    def x(t: float) -> float:
        return label_w + plot_w * (t - start) / span

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             'font-family="DejaVu Sans, sans-serif" font-size="9" role="img" aria-label="availability over the day">']
    first = dt.datetime.fromtimestamp(start, zone).replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    tick = first
    while tick.timestamp() < end:
        tx = x(tick.timestamp())
        parts.append(f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{height - 18}" stroke="#e0e0e0"/>')
        if tick.hour % 3 == 0:
            parts.append(f'<text x="{tx:.1f}" y="{top - 6}" text-anchor="middle" fill="#666">{tick:%H:%M}</text>')
        tick += dt.timedelta(hours=1)
    for i, entity in enumerate(entities):
        y = top + i * row
        parts.append(f'<text x="{label_w - 6}" y="{y + row - 3}" text-anchor="end" fill="#333">{html.escape(entity.name)}</text>')
        for piece in entity.timeline:
            w = max(x(piece.end) - x(piece.start), 0.5)
            parts.append(f'<rect x="{x(piece.start):.1f}" y="{y + 1}" width="{w:.1f}" height="{row - 2}" '
                         f'fill="{STATE_COLOURS[piece.state]}"><title>{html.escape(entity.name)} {piece.state}</title></rect>')
    legend_y = height - 6
    lx = label_w
    for state, colour in STATE_COLOURS.items():
        parts.append(f'<rect x="{lx}" y="{legend_y - 8}" width="10" height="8" fill="{colour}"/>'
                     f'<text x="{lx + 14}" y="{legend_y}" fill="#333">{"no data" if state == NODATA else state}</text>')
        lx += 90
    parts.append("</svg>")
    return "".join(parts)
