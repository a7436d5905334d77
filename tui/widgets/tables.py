"""Refreshing a DataTable in place: a reload never moves the reader's cursor or view."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual.widgets import DataTable


def refill(table: DataTable, rows: Iterable[tuple[str, Sequence[Any]]]) -> None:
    """Replace every row of ``table`` (each with a stable key); the cursor stays on the row with the same key
    (or the same position) and the view keeps its scroll offset."""
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
    row, scroll = table.cursor_row, table.scroll_y
    table.clear()
    for k, cells in rows:
        table.add_row(*cells, key=k)
    if not table.row_count:
        return
    try:
        target = table.get_row_index(key) if key is not None else row
    except Exception:  # the row is gone: stay at the same place
        target = row
    table.move_cursor(row=min(target, table.row_count - 1), animate=False, scroll=False)
    table.scroll_to(y=scroll, animate=False, immediate=True)
