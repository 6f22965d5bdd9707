"""Field paths: how a finding names the node of a catalog it is about.

Contract:
- A ``FieldPath`` is a tuple of mapping keys (str) and sequence indexes (int), spelled as the catalog file
  spells them (aliases such as ``from``, never the Python attribute ``from_``).
- ``format_path`` writes it as ``versions[0].items[12].price.htva``; ``parse_path`` reads that text back, so
  a loader that kept the position of every node can turn a check's finding into ``file:line:column``.
- ``finding_at`` builds a ``Finding`` located by its field path alone (the loader adds file, line, column).
"""

from __future__ import annotations

import re

from telbill.core.errors import Finding, Location, Severity

FieldPath = tuple[str | int, ...]

_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def format_path(path: FieldPath) -> str:
    """``("versions", 0, "items", 12, "price")`` → ``versions[0].items[12].price``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def parse_path(text: str) -> FieldPath:
    """The inverse of ``format_path``: ``versions[0].items[12].price`` → ``("versions", 0, …)``."""
    parts: list[str | int] = []
    for match in _PART.finditer(text):
        index, key = match.groups()
        parts.append(int(index) if index is not None else key)
    return tuple(parts)


def finding_at(code: str, severity: Severity, message: str, path: FieldPath) -> Finding:
    return Finding(code, severity, message, Location(field=format_path(path)))


def error_at(code: str, message: str, path: FieldPath) -> Finding:
    return finding_at(code, Severity.ERROR, message, path)


def warning_at(code: str, message: str, path: FieldPath) -> Finding:
    return finding_at(code, Severity.WARNING, message, path)
