"""Catalog files in YAML → ``Catalog``, with every problem of a file located at file:line:column.

Contract:
- ``load_catalog_text`` / ``load_catalog_file`` never raise for a bad file and never stop at the first
  problem: malformed YAML is one finding at the parser's line and column; otherwise every entry of the
  pydantic ``ValidationError`` is one finding, located at the YAML node its ``loc`` names (or the nearest
  node that exists, for a missing field).
- The returned ``LoadResult.locate`` does the same for the findings of ``check_catalog``, which carry a
  field path such as ``versions[0].items[12].price.htva``.
- Field paths shown to people name each listed entry by its code: ``versions[0].items[3] (code
  TRENCH).price.tvac``.
- Amounts must be quoted strings or integers: YAML reads an unquoted ``13.50`` as a float, which the schema
  refuses (0.1 is not 0.1).

The YAML is read with ruamel's round-trip loader because it records the line and column of every mapping
key, mapping value and sequence item; the tree is then turned into plain Python values for pydantic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from telbill.app.ports import LoadResult
from telbill.core.catalog.field_paths import parse_path
from telbill.core.catalog.schema import Catalog
from telbill.core.errors import Finding, Location, Severity

CATALOG_SUFFIXES = (".yaml", ".yml")
_DISCRIMINATOR = "rule"  # the tag field of every union of the schema: pydantic adds its value to ``loc``
_CODES = {
    "extra_forbidden": "schema.unknown_field",
    "missing": "schema.missing",
    "union_tag_invalid": "schema.unknown_rule",
    "union_tag_not_found": "schema.missing",
}


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class _Spot:
    """Where a field path lands in the file: the deepest node of the path that exists (1-based)."""

    line: int
    column: int
    field: str  # readable: versions[0].items[3] (code TRENCH).price.tvac


class _Positions:
    """The position of every node of one round-trip YAML tree, looked up by field path."""

    def __init__(self, root: Any, source: str) -> None:
        self._root = root
        self.source = source

    def spot(self, path: Sequence[str | int], *, skip_tags: bool = False, at_key: bool = False) -> _Spot:
        """Follow ``path`` down the tree; ``skip_tags`` drops the union tags pydantic puts in its ``loc``.

        A scalar field is found at its value, a collection at its key, and with ``at_key`` any field at its key
        (an unknown field is the key itself).
        """
        node, line, column, words = self._root, 0, 0, ""
        tag_skipped_at: int | None = None
        for index, part in enumerate(path):
            if skip_tags and _is_tag(node, part) and tag_skipped_at != id(node):
                tag_skipped_at = id(node)
                continue
            step = _child(node, part, at_key)
            if step is None:  # a missing field: point at its parent, name the field
                return _Spot(line + 1, column + 1, words + _spell(path[index:], words))
            node, (line, column) = step
            words += _spell([part], words) + _code_of(node, part)
        return _Spot(line + 1, column + 1, words)

    def locate(self, finding: Finding) -> Finding:
        """The finding with this file, and the line and column of its field path, if it has one."""
        if finding.location.field is None:
            return replace(finding, location=replace(finding.location, file=self.source))
        spot = self.spot(parse_path(finding.location.field))
        return replace(finding, location=Location(self.source, spot.line, spot.column, spot.field))


def _is_tag(node: Any, part: str | int) -> bool:
    return isinstance(node, CommentedMap) and isinstance(part, str) and node.get(_DISCRIMINATOR) == part


def _child(node: Any, part: str | int, at_key: bool) -> tuple[Any, tuple[int, int]] | None:
    """The child named by ``part`` and its position (0-based)."""
    if isinstance(node, CommentedMap) and part in node:
        child = node[part]
        at_key = at_key or isinstance(child, (CommentedMap, CommentedSeq))
        position = node.lc.key(part) if at_key else node.lc.value(part)
        return child, position
    if isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
        return node[part], node.lc.item(part)
    return None


def _spell(parts: Iterable[str | int], before: str) -> str:
    words = ""
    for part in parts:
        words += f"[{part}]" if isinstance(part, int) else (f".{part}" if before or words else str(part))
    return words


def _code_of(node: Any, part: str | int) -> str:
    code = node.get("code") if isinstance(part, int) and isinstance(node, CommentedMap) else None
    return f" (code {code})" if isinstance(code, str) else ""


def load_model_text(text: str, source: str, model: type[M], shape: str) -> tuple[M | None, tuple[Finding, ...]]:
    """Parse YAML and validate it as ``model``; every problem is a finding located at file:line:column.
    ``shape`` says in words what the file should hold, for a file that is not a mapping."""
    try:
        root = YAML(typ="rt").load(text)
    except YAMLError as error:
        return None, (_syntax_finding(error, text, source),)
    positions = _Positions(root, source)
    if not isinstance(root, CommentedMap):
        return None, (Finding("schema.not_a_mapping", Severity.ERROR, shape, Location(source, 1, 1)),)
    try:
        return model.model_validate(_plain(root)), ()
    except ValidationError as error:
        return None, tuple(_schema_finding(detail, positions) for detail in _meaningful(error.errors()))


def load_catalog_text(text: str, source: str) -> LoadResult:
    """Parse and validate one catalog; ``source`` names it in findings (usually the file path)."""
    try:
        root = YAML(typ="rt").load(text)
    except YAMLError as error:
        return LoadResult(None, (_syntax_finding(error, text, source),), source)
    positions = _Positions(root, source)
    if not isinstance(root, CommentedMap):
        message = "a catalog file holds one mapping with id, name, operator, language, price_basis and versions"
        finding = Finding("schema.not_a_mapping", Severity.ERROR, message, Location(source, 1, 1))
        return LoadResult(None, (finding,), source)
    try:
        catalog = Catalog.model_validate(_plain(root))
    except ValidationError as error:
        findings = tuple(_schema_finding(detail, positions) for detail in _meaningful(error.errors()))
        return LoadResult(None, findings, source, positions.locate)
    return LoadResult(catalog, (), source, positions.locate)


def load_catalog_file(path: Path) -> LoadResult:
    """Read a catalog file; unreadable files and a file name that is not the catalog id are findings too."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        finding = Finding("file.unreadable", Severity.ERROR, f"cannot read the file: {reason}", Location(source))
        return LoadResult(None, (finding,), source)
    result = load_catalog_text(text, source)
    if result.catalog is None or path.stem == result.catalog.id:
        return result
    catalog_id = result.catalog.id
    message = (
        f"catalog {catalog_id} should be in a file named {catalog_id}{path.suffix}: --catalog {catalog_id} looks there"
    )
    misnamed = result.locate(Finding("catalog.file_name", Severity.WARNING, message, Location(field="id")))
    return replace(result, findings=(*result.findings, misnamed))


def catalog_files(paths: Sequence[Path]) -> tuple[Path, ...]:
    """Files as given; a directory stands for its ``*.yaml`` / ``*.yml`` files, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in CATALOG_SUFFIXES and p.is_file())
        else:
            found.append(path)
    return tuple(found)


def load_catalogs(paths: Sequence[Path]) -> tuple[LoadResult, ...]:
    """Every catalog file named by ``paths`` (directories expanded), each with all its findings."""
    return tuple(load_catalog_file(path) for path in catalog_files(paths))


@dataclass(frozen=True, slots=True)
class YamlCatalogSource:
    """The ``CatalogSource`` of a directory of YAML catalog files."""

    directory: Path

    def catalog_files(self, paths: Sequence[Path] = ()) -> tuple[Path, ...]:
        return catalog_files(paths or (self.directory,))

    def load(self, path: Path) -> LoadResult:
        return load_catalog_file(path)


def _plain(node: Any) -> Any:
    """The round-trip tree as plain dict / list / str / int / float / bool / date / None values."""
    if isinstance(node, dict):
        return {_plain(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    for kind in (bool, str, int, float):  # bool before int: True is an int
        if isinstance(node, kind):
            return kind(node)
    return node if node is None or isinstance(node, date) else str(node)


def _syntax_finding(error: YAMLError, text: str, source: str) -> Finding:
    mark = error.problem_mark if isinstance(error, MarkedYAMLError) else None
    if isinstance(error, MarkedYAMLError):
        problem = error.problem or "malformed YAML"
        context = f" ({error.context})" if error.context else ""
        message = f"{problem}{context}"
    else:
        message = str(error).splitlines()[0] if str(error) else "malformed YAML"
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else _position_of(error, text)
    return Finding("yaml.syntax", Severity.ERROR, message, Location(source, line, column))


def _position_of(error: YAMLError, text: str) -> tuple[int | None, int | None]:
    """For errors without a mark (an invalid character): the position from the character offset."""
    offset = getattr(error, "position", None)
    if not isinstance(offset, int):
        return None, None
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _meaningful(details: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop "tuple too short after validation": its members failed, and those failures are reported."""
    return [
        detail
        for detail in details
        if not (
            detail["type"] == "too_short"
            and isinstance(detail["input"], (list, tuple))
            and len(detail["input"]) >= detail.get("ctx", {}).get("min_length", 0)
        )
    ]


def _schema_finding(detail: ErrorDetails, positions: _Positions) -> Finding:
    loc = detail["loc"]
    if detail["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc = (*loc, _DISCRIMINATOR)  # point at the rule kind, or name it when it is missing
    spot = positions.spot(loc, skip_tags=True, at_key=detail["type"] == "extra_forbidden")
    code = _CODES.get(detail["type"], "schema.invalid")
    location = Location(positions.source, spot.line, spot.column, spot.field)
    return Finding(code, Severity.ERROR, _schema_message(detail), location)


def _schema_message(detail: ErrorDetails) -> str:
    name = detail["loc"][-1] if detail["loc"] else "catalog"
    kind, message, given = detail["type"], detail["msg"], detail["input"]
    if kind == "extra_forbidden":
        return f"unknown field {name!r} (see `telbill catalog schema` for the fields allowed here)"
    if kind == "missing":
        return f"missing field {name!r}"
    if kind == "union_tag_invalid":
        expected = str(detail.get("ctx", {}).get("expected_tags", "")).replace("'", "")
        return f"unknown rule {given.get(_DISCRIMINATOR)!r}; the rules are: {expected}"
    if kind == "union_tag_not_found":
        return f"missing field {_DISCRIMINATOR!r}: which kind of rule this is"
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if given is None or isinstance(given, (str, int, float, date)):
        return f"{message} (got {given!r})"
    return message
