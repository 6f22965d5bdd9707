"""Password hashing with argon2id (``argon2-cffi``): the ``PasswordHasher`` port of ``app/access_store.py``.

The parameters are argon2-cffi's defaults (RFC 9106 "low memory" profile: 64 MiB, 3 passes, 4 lanes); a hash
is a PHC string carrying its own parameters, so stronger settings later still verify older hashes.
"""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2Passwords:
    def __init__(self, hasher: _Argon2 | None = None) -> None:
        self._hasher = hasher or _Argon2()

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def fast_passwords() -> Argon2Passwords:
    """argon2id with small costs, for tests and benchmarks only (never for stored customer passwords)."""
    return Argon2Passwords(_Argon2(time_cost=1, memory_cost=8, parallelism=1))
