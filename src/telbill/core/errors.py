"""Errors of the domain.

Two shapes, never mixed:
- ``TelbillError`` is raised by an *operation* that cannot proceed; it carries a stable ``code`` and a
  ``kind`` that the edges (HTTP, CLI) map to their own vocabulary in one table.
- ``Finding`` is returned as data by a *check*; a check reports every finding of a run, it never raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ErrorKind(Enum):
    INVALID = "invalid"  # the input breaks a rule
    NOT_FOUND = "not_found"  # a reference names nothing
    CONFLICT = "conflict"  # the state forbids the operation (e.g. editing an issued invoice)
    NEEDS_INPUT = "needs_input"  # the operation needs a value the caller did not give


class TelbillError(Exception):
    """A coded failure of an operation. ``field`` names the offending input where there is one."""

    def __init__(self, code: str, message: str, kind: ErrorKind = ErrorKind.INVALID, field: str | None = None):
        super().__init__(f"{code}: {message}" + (f" [{field}]" if field else ""))
        self.code = code
        self.message = message
        self.kind = kind
        self.field = field


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: a file, a line and column (1-based) when known, and a dotted field path."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.file or "<catalog>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        where = ":".join(parts)
        return f"{where} ({self.field})" if self.field else where


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    location: Location = Location()

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value} {self.code}: {self.message}"
