"""How the command line reports a failed operation: one table from error to exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.text import Text

from telbill.app.catalog import CatalogInvalidError
from telbill.cli import output
from telbill.core.errors import TelbillError


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Turn an operation's failure into its message on stderr and the exit code of the module docstring."""
    try:
        yield
    except CatalogInvalidError as error:
        errors = Console(stderr=True)
        errors.print(Text(f"error {error.code}: {error.message}", style="bold red"), soft_wrap=True)
        output.print_findings(errors, error.findings)
        raise typer.Exit(1) from None
    except TelbillError as error:
        field = f" [{error.field}]" if error.field else ""
        typer.echo(f"error {error.code}: {error.message}{field}", err=True)
        raise typer.Exit(2) from None
