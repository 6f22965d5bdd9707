"""Which reader a bank statement file needs: CODA (fixed-width records, starting with a 0 record) or
camt.053 (XML). A file that is neither is refused with a finding, as any faulty file."""

from __future__ import annotations

from pathlib import Path

from telbill.adapters.banking.camt053 import read_camt053
from telbill.adapters.banking.coda import read_coda
from telbill.core.errors import ErrorKind, Finding, Location, Severity, TelbillError
from telbill.core.receivables.statements import StatementFile


def read_statement_bytes(data: bytes, source: str) -> StatementFile:
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5]
    if start.startswith(b"<"):
        return read_camt053(data, source)
    if start.startswith(b"0000"):
        return read_coda(data, source)
    finding = Finding("statement.format", Severity.ERROR, "neither a CODA nor a camt.053 file", Location(source, 1))
    return StatementFile(source, "unknown", (), (finding,))


class StatementFiles:
    """The ``StatementReader`` port on files."""

    def read(self, path: Path) -> StatementFile:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise TelbillError("statement.unreadable", f"{path}: {error.strerror}", ErrorKind.NOT_FOUND) from None
        return read_statement_bytes(data, path.name)
