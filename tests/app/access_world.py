"""A small world for the access, customer and order use cases: fake storage, the seed catalogs, a fixed clock
and a password hasher that is fast and honest (it compares, it never stores the password)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import cast

from telbill.app.access_store import AccessUnitOfWork
from telbill.app.care import CareDeps
from telbill.app.customers import CustomerDeps
from telbill.app.identities import AccessDeps
from telbill.app.store import CareUnitOfWork
from telbill.core.catalog.schema import Catalog
from telbill.core.errors import ErrorKind, TelbillError
from tests.app.fakes import FakeUnitOfWork, State
from tests.catalogs.conftest import seed_catalog
from tests.conftest import CATALOGS


class SaltedPasswords:
    """``PasswordHasher`` for tests: a salted SHA-256 (argon2 is the production adapter, tested on its own)."""

    def hash(self, password: str) -> str:
        return "test$" + hashlib.sha256(b"salt" + password.encode()).hexdigest()

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == self.hash(password)


@dataclass
class FixedClock:
    at: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta


@dataclass
class World:
    state: State = field(default_factory=State)
    clock: FixedClock = field(default_factory=FixedClock)

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.state)

    @staticmethod
    def catalog(catalog_id: str) -> Catalog:
        if not (CATALOGS / f"{catalog_id}.yaml").is_file():  # as the library says it (app/catalog.py)
            raise TelbillError("catalog.not_found", f"no catalog {catalog_id!r}", ErrorKind.NOT_FOUND, "catalog")
        return seed_catalog(catalog_id)

    @property
    def factory(self) -> Callable[[], AccessUnitOfWork]:
        return cast(Callable[[], AccessUnitOfWork], self.uow)

    def customers(self) -> CustomerDeps:
        return CustomerDeps(self.factory, self.catalog)

    def care(self) -> CareDeps:
        return CareDeps(cast(Callable[[], CareUnitOfWork], self.uow), self.catalog)

    def access(self) -> AccessDeps:
        return AccessDeps(self.factory, SaltedPasswords(), self.clock)
