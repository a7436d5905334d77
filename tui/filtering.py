"""k9s-style row filters: a regular expression, ``!`` in front negates it."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RowFilter:
    pattern: re.Pattern[str] | None = None
    negate: bool = False

    @classmethod
    def parse(cls, text: str) -> RowFilter:
        """Compile ``text`` (case-insensitive); raises :class:`re.error` when invalid."""
        negate = text.startswith("!")
        body = text[1:] if negate else text
        return cls(re.compile(body, re.IGNORECASE) if body else None, negate)

    def __call__(self, row_text: str) -> bool:
        if self.pattern is None:
            return True
        return bool(self.pattern.search(row_text)) != self.negate
