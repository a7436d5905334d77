"""A table that renders only the rows on screen (Textual's line API).

Textual's DataTable measures every cell of every row it is given, which makes
rebuilding 2,000 rows on each filter keystroke take over a second. This table
keeps rows as plain ``(key, cells)`` tuples, sizes columns with ``cell_len``,
and draws a row only when it is visible: replacing all rows or one row costs
nothing on screen until it scrolls into view. *Flex* columns (a reason, an
expected / actual value) share the width the others leave free, so they are cut
only when the terminal is too narrow.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cell = str | Text
Row = tuple[str, tuple[Cell, ...]]  # key, cells
MAX_WIDTH = 48  # a fixed column never grows wider than this (cells are cut)
MIN_FLEX = 8  # a flex column never shrinks below this (the table scrolls sideways instead)
GAP = 1  # columns are one space apart


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


class VirtualTable(ScrollView, can_focus=True):
    """Rows with a sticky header, a row cursor, ``enter`` to select, header click to sort."""

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]
    COMPONENT_CLASSES = {"virtual-table--header", "virtual-table--cursor", "virtual-table--odd"}
    DEFAULT_CSS = """
    VirtualTable { height: 1fr; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    VirtualTable > .virtual-table--odd { background: $surface-lighten-1 20%; }
    """

    cursor: reactive[int] = reactive(0, layout=False)

    class RowSelected(Message):
        def __init__(self, table: VirtualTable, key: str) -> None:
            super().__init__()
            self.table, self.key = table, key

    class HeaderClicked(Message):
        def __init__(self, table: VirtualTable, column: str) -> None:
            super().__init__()
            self.table, self.column = table, column

    def __init__(self, columns: list[tuple[str, str]], *, min_widths: dict[str, int] | None = None,
                 flex: tuple[str, ...] = (), id: str | None = None) -> None:
        """``columns``: (key, label) pairs; ``min_widths`` reserves room for cells that arrive later; ``flex``
        columns grow into the free width."""
        super().__init__(id=id)
        self.columns = columns
        self.min_widths = min_widths or {}
        self.flex = flex
        self.rows: list[Row] = []
        self._index: dict[str, int] = {}
        self.widths = [len(label) for _, label in columns]

    # -- data ----------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.rows)

    def has_row(self, key: str) -> bool:
        return key in self._index

    def keys(self) -> list[str]:
        return [key for key, _ in self.rows]

    def cells(self, key: str) -> tuple[str, ...]:
        """The plain text of a row's cells."""
        return tuple(_plain(c) for c in self.rows[self._index[key]][1])

    @property
    def cursor_key(self) -> str | None:
        return self.rows[self.cursor][0] if self.rows else None

    def measure(self, rows: list[Row]) -> None:
        """Size the columns for ``rows`` (e.g. every row a filter may show, so widths do not jump)."""
        self.natural = [
            max([cell_len(label), self.min_widths.get(key, 0)] + [cell_len(_plain(r[1][i])) for r in rows])
            for i, (key, label) in enumerate(self.columns)
        ]
        self._fit()

    def _fit(self) -> None:
        """Fixed columns at their natural width (up to MAX_WIDTH); flex columns share what is left of the widget."""
        natural = getattr(self, "natural", [len(label) for _, label in self.columns])
        fixed = [min(MAX_WIDTH, n) if key not in self.flex else 0 for (key, _), n in zip(self.columns, natural)]
        flexible = [i for i, (key, _) in enumerate(self.columns) if key in self.flex]
        free = max(0, self.size.width - sum(fixed) - GAP * len(self.columns) - 1)
        widths = fixed
        waiting = sorted(flexible, key=lambda i: natural[i])  # the narrowest take what they need, the rest share
        while waiting:
            i = waiting.pop(0)
            share = free // (len(waiting) + 1)
            widths[i] = max(MIN_FLEX, len(self.columns[i][1]), min(natural[i], share))
            free = max(0, free - widths[i])
        self.widths = widths
        self.virtual_size = Size(sum(self.widths) + GAP * len(self.widths), len(self.rows) + 1)

    def on_resize(self) -> None:
        self._fit()
        self.refresh()

    def set_rows(self, rows: list[Row], measure: bool = True) -> None:
        """Replace every row; the cursor stays on the same key when it is still there."""
        current = self.cursor_key
        self.rows = rows
        self._index = {key: i for i, (key, _) in enumerate(rows)}
        if measure:
            self.measure(rows)
        else:
            self._fit()
        self.cursor = self._index.get(current, min(self.cursor, max(0, len(rows) - 1))) if current else 0
        self._show_cursor()
        self.refresh()

    def update_row(self, key: str, cells: tuple[Cell, ...]) -> None:
        """Replace one row's cells (column widths do not change: cells are cut to fit)."""
        index = self._index[key]
        self.rows[index] = (key, cells)
        self.refresh_line(index - int(self.scroll_offset.y) + 1)

    # -- rendering -----------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            style = self.get_component_rich_style("virtual-table--header")
            strip = self._strip(tuple(label for _, label in self.columns), style, plain=True)
        else:
            index = scroll_y + y - 1
            if index >= len(self.rows):
                return Strip.blank(self.size.width, self.rich_style)
            base, on_cursor = self.rich_style, index == self.cursor and self.has_focus
            if on_cursor:
                base = self.get_component_rich_style("virtual-table--cursor")
            elif index % 2:
                base = base + self.get_component_rich_style("virtual-table--odd")
            strip = self._strip(self.rows[index][1], base, plain=on_cursor)
        return strip.crop(scroll_x, scroll_x + self.size.width).extend_cell_length(self.size.width, self.rich_style)

    def _strip(self, cells: tuple[Cell, ...], base: Style, plain: bool = False) -> Strip:
        """One line of cells; ``plain`` ignores the cells' own styles (header, cursor row). A row whose cells after
        the first are empty (a group heading) lets the first run across the others."""
        segments = []
        widths = self.widths
        if len(cells) > 1 and not any(_plain(c) for c in cells[1:]):
            cells, widths = cells[:1], [sum(self.widths) + GAP * (len(self.widths) - 1)]
        for cell, width in zip(cells, widths):
            text = _plain(cell)
            text = text[: width - 1] + "…" if len(text) > width else text.ljust(width)
            style = base
            if not plain and isinstance(cell, Text) and cell.style:
                style = base + (Style.parse(cell.style) if isinstance(cell.style, str) else cell.style)
            segments += [Segment(" ", base), Segment(text, style)]
        return Strip(segments)

    # -- cursor and input ----------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _show_cursor(self) -> None:
        top = int(self.scroll_offset.y)
        visible = max(1, self.size.height - 1)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        self.cursor = max(0, min(index, len(self.rows) - 1))
        self._show_cursor()

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(1, self.size.height - 2))

    def action_edge(self, end: int) -> None:
        self.move_to(len(self.rows) - 1 if end else 0)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.RowSelected(self, self.rows[self.cursor][0]))

    def on_click(self, event: Click) -> None:
        x = event.x + int(self.scroll_offset.x)
        if event.y == 0:
            edge = 0
            for (key, _), width in zip(self.columns, self.widths):
                edge += width + GAP
                if x < edge:
                    self.post_message(self.HeaderClicked(self, key))
                    return
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if index < len(self.rows):
            if index == self.cursor and event.chain > 1:
                self.action_select()
            self.move_to(index)
