"""Who may do what: staff roles and their permissions, customers limited to their own account.

Contract:
- A ``Principal`` is who a request acts for: a staff member (with a ``Role``) or a customer (with the one
  ``account_id`` their login belongs to). Edges (API, portal) build it from a token or a session
  (``app/identities.py``) and ask it before every use case.
- ``ROLE_PERMISSIONS`` is the one table of what each staff role may do. ``read_only`` has ``READ`` only:
  every operation that changes anything requires another permission, so a read-only token changes nothing.
- A customer holds no staff permission. ``require_account`` lets a customer see their own account only; asked
  about another account it answers *not found*, never *forbidden*, so a customer cannot even learn that
  another customer's invoice number or subscription exists.
- Refusals are ``AccessDenied`` with a ``Denial`` (unauthenticated, forbidden, throttled): the edges map
  ``Denial`` and ``ErrorKind`` to their own vocabulary in one table (``api/problems.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from telbill.core.errors import ErrorKind, TelbillError


class Role(Enum):
    ADMIN = "admin"
    BILLING = "billing"
    SUPPORT = "support"
    READ_ONLY = "read_only"


class Permission(Enum):
    READ = "read"  # every staff read: catalogs, customers, documents, tickets, queues
    MANAGE_CUSTOMERS = "manage_customers"  # accounts, orders, subscription lifecycle, customer logins
    CHARGE = "charge"  # one-off charges and credit notes: money and documents
    RUN_BILLING = "run_billing"  # bill runs
    HANDLE_TICKETS = "handle_tickets"  # tickets, outages, interventions
    HANDLE_PAYMENTS = "handle_payments"  # bank statements, the review queue, dunning runs
    MANAGE_STAFF = "manage_staff"  # staff members and their API tokens


_P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.BILLING: frozenset({_P.READ, _P.MANAGE_CUSTOMERS, _P.CHARGE, _P.RUN_BILLING, _P.HANDLE_PAYMENTS}),
    Role.SUPPORT: frozenset({_P.READ, _P.MANAGE_CUSTOMERS, _P.HANDLE_TICKETS}),
    Role.READ_ONLY: frozenset({_P.READ}),
}


class Denial(Enum):
    UNAUTHENTICATED = "unauthenticated"  # no credentials, or credentials that do not hold
    FORBIDDEN = "forbidden"  # known, but the role does not allow it
    THROTTLED = "throttled"  # too many failed logins: wait


class AccessDenied(Exception):
    """A refusal of the access layer (not of the domain): who you are, or are not allowed to be."""

    def __init__(self, code: str, message: str, denial: Denial, retry_after: int | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.denial = denial
        self.retry_after = retry_after  # seconds, for THROTTLED


class PrincipalKind(Enum):
    STAFF = "staff"
    CUSTOMER = "customer"


@dataclass(frozen=True, slots=True)
class Principal:
    kind: PrincipalKind
    id: str  # the staff member's id, or the customer login's id
    name: str
    role: Role | None = None  # staff only
    account_id: str | None = None  # customers only: the account their login belongs to

    def __post_init__(self) -> None:
        if (self.kind is PrincipalKind.STAFF) != (self.role is not None):
            raise TelbillError("principal.role", "staff have a role, customers have none")
        if (self.kind is PrincipalKind.CUSTOMER) != (self.account_id is not None):
            raise TelbillError("principal.account", "a customer belongs to one account; staff to none")

    @property
    def is_staff(self) -> bool:
        return self.kind is PrincipalKind.STAFF

    @property
    def permissions(self) -> frozenset[Permission]:
        return ROLE_PERMISSIONS[self.role] if self.role is not None else frozenset()

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if not self.may(permission):
            who = f"role {self.role.value}" if self.role is not None else "a customer"
            raise AccessDenied("access.forbidden", f"{who} may not {permission.value}", Denial.FORBIDDEN)

    def require_staff(self) -> None:
        self.require(Permission.READ)

    def sees(self, account_id: str) -> bool:
        return self.may(Permission.READ) or self.account_id == account_id

    def require_account(self, account_id: str, what: str = "account", key: str | None = None) -> None:
        """Staff who may read see every account; a customer sees their own only, and is told that any other
        does not exist (``what`` and ``key`` name the thing asked for, as a not-found error would)."""
        if not self.sees(account_id):
            name = key or account_id
            raise TelbillError(f"{what}.not_found", f"no {what} {name}", ErrorKind.NOT_FOUND)

    def account_scope(self) -> str | None:
        """The account a list is limited to: the customer's own; None (every account) for staff."""
        if self.is_staff:
            self.require(Permission.READ)
            return None
        return self.account_id
