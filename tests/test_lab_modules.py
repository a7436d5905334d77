"""The lab simulator's modules use only each other's public names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parent.parent / "labs" / "sim"


@pytest.mark.parametrize("module", sorted(SIM.glob("*.py")), ids=lambda p: p.name)
def test_no_private_name_imported_across_modules(module: Path):
    private = [
        f"{node.module}.{alias.name} (line {node.lineno})"
        for node in ast.walk(ast.parse(module.read_text(), str(module)))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("labs")
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert not private, f"{module.name} imports private names: {private}"
