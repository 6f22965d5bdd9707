"""Identities: staff members with API tokens, customer logins with passwords, sessions; one transaction each.

Contract:
- An API token reads ``tbk_<id>_<secret>``: ``id`` finds it, the secret (32 random bytes) is kept as its
  SHA-256 only and compared in constant time. It is shown once, when issued. A revoked token, or one of an
  inactive staff member, authenticates nobody.
- Passwords (10 characters at least) are kept as argon2 hashes through the ``PasswordHasher`` port. A login
  with an unknown e-mail still spends a hash verification, so timing does not tell which e-mails exist; every
  failure says the same thing.
- A session is a random secret in a cookie, kept as its SHA-256, with its own CSRF token and an expiry; the
  portal and the back office share the mechanism (``kind`` staff or customer).
- Time is an input: the ``WallClock`` port gives aware UTC instants.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from telbill.app.access import AccessDenied, Denial, Principal, PrincipalKind, Role
from telbill.app.access_store import (
    AccessUnitOfWork,
    ApiToken,
    CustomerLogin,
    PasswordHasher,
    SessionRecord,
    StaffMember,
)
from telbill.core.errors import TelbillError

TOKEN_PREFIX = "tbk"
MIN_PASSWORD = 10
SESSION_LIFETIME = timedelta(hours=8)
LANGUAGES = ("fr", "nl", "en")


class WallClock(Protocol):
    def now(self) -> datetime: ...  # aware, UTC


AccessUnitOfWorkFactory = Callable[[], AccessUnitOfWork]


class CredentialCache:
    """The principals of API tokens checked in the last ``ttl`` (by the SHA-256 of the token), so that a busy
    client does not cost two database reads per request. Revoking a token through this process forgets every
    entry at once; another server process forgets it within ``ttl``."""

    def __init__(self, ttl: timedelta = timedelta(seconds=10), size: int = 4096) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: dict[str, tuple[Principal, datetime]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, now: datetime) -> Principal | None:
        with self._lock:
            found = self._entries.get(key)
        return found[0] if found is not None and found[1] > now else None

    def put(self, key: str, principal: Principal, now: datetime) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[key] = (principal, now + self.ttl)

    def forget_all(self) -> None:
        with self._lock:
            self._entries.clear()


@dataclass(frozen=True, slots=True)
class AccessDeps:
    unit_of_work: AccessUnitOfWorkFactory
    hasher: PasswordHasher
    clock: WallClock
    reader: AccessUnitOfWorkFactory | None = None  # read-only units of work, for checking credentials
    cache: CredentialCache | None = None  # None: every token is checked against the store

    def reading(self) -> AccessUnitOfWork:
        return (self.reader or self.unit_of_work)()


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _unauthenticated(message: str = "the credentials do not hold") -> AccessDenied:
    return AccessDenied("access.unauthenticated", message, Denial.UNAUTHENTICATED)


def normalise_email(email: str) -> str:
    text = email.strip().lower()
    local, at, domain = text.partition("@")
    if not (local and at and "." in domain) or " " in text or len(text) > 254:
        raise TelbillError("login.email", f"{email!r} is not an e-mail address", field="email")
    return text


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise TelbillError("login.password", f"a password has {MIN_PASSWORD} characters or more", field="password")


# --- staff and tokens ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewStaff:
    id: str
    email: str
    name: str
    role: Role
    password: str | None = None


def create_staff(deps: AccessDeps, new: NewStaff) -> StaffMember:
    if not new.id.strip() or not new.name.strip():
        raise TelbillError("staff.missing", "a staff member needs an id and a name", field="id")
    if new.password is not None:
        _check_password(new.password)
    hashed = deps.hasher.hash(new.password) if new.password is not None else None
    staff = StaffMember(new.id.strip(), normalise_email(new.email), new.name.strip(), new.role, hashed)
    with deps.unit_of_work() as uow:
        uow.identities.add_staff(staff)
        uow.commit()
    return staff


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the whole token as the client sends it; shown once


def issue_token(deps: AccessDeps, staff_id: str, name: str) -> IssuedToken:
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    with deps.unit_of_work() as uow:
        staff = uow.identities.staff(staff_id)
        token = ApiToken(token_id, staff.id, name.strip() or "token", digest(secret), deps.clock.now())
        uow.identities.add_token(token)
        uow.commit()
    return IssuedToken(token, f"{TOKEN_PREFIX}_{token_id}_{secret}")


def revoke_token(deps: AccessDeps, token_id: str) -> None:
    with deps.unit_of_work() as uow:
        uow.identities.revoke_token(token_id)
        uow.commit()
    if deps.cache is not None:
        deps.cache.forget_all()


def staff_principal(staff: StaffMember) -> Principal:
    return Principal(PrincipalKind.STAFF, staff.id, staff.name, role=staff.role)


def authenticate_token(deps: AccessDeps, presented: str) -> Principal:
    """The staff member of a bearer token; ``AccessDenied`` (unauthenticated) for anything that does not hold."""
    prefix, _, rest = presented.partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not token_id or not secret:
        raise _unauthenticated("the token is not a telbill API token (tbk_…)")
    key, now = digest(presented), deps.clock.now()
    if deps.cache is not None and (known := deps.cache.get(key, now)) is not None:
        return known
    with deps.reading() as uow:
        token = uow.identities.token(token_id)
        if token is None or not hmac.compare_digest(token.secret_hash, digest(secret)) or token.revoked:
            raise _unauthenticated()
        staff = uow.identities.staff(token.staff_id)
    if not staff.active:
        raise _unauthenticated()
    principal = staff_principal(staff)
    if deps.cache is not None:
        deps.cache.put(key, principal, now)
    return principal


# --- customer logins -------------------------------------------------------------------------------------------


def create_login(deps: AccessDeps, account_id: str, email: str, password: str, language: str | None = None) -> str:
    """A portal login for an account; returns its id."""
    _check_password(password)
    if language is not None and language not in LANGUAGES:
        raise TelbillError("login.language", f"the portal speaks {', '.join(LANGUAGES)}", field="language")
    login = CustomerLogin(
        secrets.token_hex(8), normalise_email(email), account_id, deps.hasher.hash(password), language
    )
    with deps.unit_of_work() as uow:
        uow.accounts.get(account_id)
        uow.identities.add_login(login)
        uow.commit()
    return login.id


def set_language(deps: AccessDeps, login_id: str, language: str) -> None:
    if language not in LANGUAGES:
        raise TelbillError("login.language", f"the portal speaks {', '.join(LANGUAGES)}", field="language")
    with deps.unit_of_work() as uow:
        login = uow.identities.login(login_id)
        uow.identities.save_login(replace(login, language=language))
        uow.commit()


def customer_principal(login: CustomerLogin, name: str) -> Principal:
    return Principal(PrincipalKind.CUSTOMER, login.id, name, account_id=login.account_id)


_DECOYS: dict[int, str] = {}  # per hasher (by identity: a Protocol is not hashable for the type checker)


def _decoy(hasher: PasswordHasher) -> str:
    """A hash of a random password, verified when the e-mail is unknown: a miss costs as much as a hit."""
    if id(hasher) not in _DECOYS:
        _DECOYS[id(hasher)] = hasher.hash(secrets.token_urlsafe(16))
    return _DECOYS[id(hasher)]


def check_password(deps: AccessDeps, kind: PrincipalKind, email: str, password: str) -> Principal:
    """The principal whose e-mail and password these are; ``AccessDenied`` (unauthenticated) otherwise."""
    try:
        address = normalise_email(email)
    except TelbillError:
        address = ""
    with deps.reading() as uow:
        if kind is PrincipalKind.STAFF:
            staff = uow.identities.staff_by_email(address) if address else None
            stored = staff.password_hash if staff is not None and staff.active else None
            principal = staff_principal(staff) if staff is not None else None
        else:
            login = uow.identities.login_by_email(address) if address else None
            stored = login.password_hash if login is not None else None
            principal = customer_principal(login, uow.accounts.get(login.account_id).party.name) if login else None
    if stored is None or principal is None:
        deps.hasher.verify(_decoy(deps.hasher), password)
        raise _unauthenticated("unknown e-mail or wrong password")
    if not deps.hasher.verify(stored, password):
        raise _unauthenticated("unknown e-mail or wrong password")
    return principal


# --- sessions --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenedSession:
    secret: str  # the cookie's value
    record: SessionRecord


def open_session(deps: AccessDeps, principal: Principal) -> OpenedSession:
    secret, now = secrets.token_urlsafe(32), deps.clock.now()
    record = SessionRecord(
        digest(secret), principal.kind.value, principal.id, secrets.token_urlsafe(24), now, now + SESSION_LIFETIME
    )
    with deps.unit_of_work() as uow:
        uow.sessions.drop_expired(now)
        uow.sessions.add(record)
        uow.commit()
    return OpenedSession(secret, record)


@dataclass(frozen=True, slots=True)
class ActiveSession:
    principal: Principal
    record: SessionRecord
    language: str | None = None  # a customer's chosen language


def session_of(deps: AccessDeps, secret: str) -> ActiveSession:
    """The principal of a session cookie; ``AccessDenied`` (unauthenticated) when unknown or expired."""
    with deps.reading() as uow:
        record = uow.sessions.get(digest(secret)) if secret else None
        if record is None or record.expires <= deps.clock.now():
            raise _unauthenticated("no session, or the session expired: log in")
        if record.kind == PrincipalKind.STAFF.value:
            staff = uow.identities.staff(record.subject_id)
            if not staff.active:
                raise _unauthenticated()
            return ActiveSession(staff_principal(staff), record)
        login = uow.identities.login(record.subject_id)
        name = uow.accounts.get(login.account_id).party.name
        return ActiveSession(customer_principal(login, name), record, login.language)


def close_session(deps: AccessDeps, secret: str) -> None:
    with deps.unit_of_work() as uow:
        uow.sessions.drop(digest(secret))
        uow.commit()


def check_csrf(session: ActiveSession, presented: str | None) -> None:
    """A form posted in a session must carry the session's CSRF token."""
    if not presented or not hmac.compare_digest(presented, session.record.csrf_token):
        raise AccessDenied("access.csrf", "the form is stale or forged: reload the page", Denial.FORBIDDEN)
