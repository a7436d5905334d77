"""k9s-style row filters: a regular expression, ``!`` in front negates it.

A row matches when the expression matches any of its fields, so ``^srn-acc-1$``
finds exactly that device.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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

    def __call__(self, fields: Iterable[str]) -> bool:
        if self.pattern is None:
            return True
        return any(self.pattern.search(f) for f in fields) != self.negate
