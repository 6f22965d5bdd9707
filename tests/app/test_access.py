"""Who may do what (app/access.py), identities and sessions (app/identities.py), idempotency keys
(app/idempotency.py) and the login throttle (app/throttle.py), on fake storage with a fixed clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from telbill.app.access import (
    ROLE_PERMISSIONS,
    AccessDenied,
    Denial,
    Permission,
    Principal,
    PrincipalKind,
    Role,
)
from telbill.app.idempotency import Replay, claim, complete, fingerprint, release
from telbill.app.identities import (
    NewStaff,
    authenticate_token,
    check_csrf,
    check_password,
    close_session,
    create_login,
    create_staff,
    issue_token,
    open_session,
    revoke_token,
    session_of,
)
from telbill.app.throttle import LoginThrottle
from telbill.core.errors import ErrorKind, TelbillError
from tests.app.access_world import World
from tests.app.builders import professional


def test_read_only_holds_read_and_nothing_else_and_admin_holds_everything() -> None:
    assert ROLE_PERMISSIONS[Role.READ_ONLY] == frozenset({Permission.READ})
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(Permission)
    for role, permissions in ROLE_PERMISSIONS.items():
        assert Permission.READ in permissions, role


def test_a_customer_sees_their_own_account_and_is_told_others_do_not_exist() -> None:
    customer = Principal(PrincipalKind.CUSTOMER, "L1", "Dupont", account_id="ACC-1")
    customer.require_account("ACC-1")
    with pytest.raises(TelbillError) as refused:
        customer.require_account("ACC-2", "document", "F2026-000001")
    assert (refused.value.kind, refused.value.code) == (ErrorKind.NOT_FOUND, "document.not_found")
    assert customer.account_scope() == "ACC-1"
    with pytest.raises(AccessDenied) as denied:
        customer.require(Permission.READ)
    assert denied.value.denial is Denial.FORBIDDEN


def test_staff_with_read_see_every_account_and_list_everything() -> None:
    staff = Principal(PrincipalKind.STAFF, "S1", "Ann", role=Role.READ_ONLY)
    staff.require_account("ANY")
    assert staff.account_scope() is None
    with pytest.raises(AccessDenied):
        staff.require(Permission.CHARGE)


def test_a_principal_is_staff_with_a_role_or_a_customer_with_an_account() -> None:
    with pytest.raises(TelbillError):
        Principal(PrincipalKind.STAFF, "S1", "Ann")
    with pytest.raises(TelbillError):
        Principal(PrincipalKind.CUSTOMER, "L1", "Dupont", role=Role.ADMIN, account_id="A")


def _staff(world: World, role: Role = Role.BILLING, password: str | None = "correct horse battery") -> None:
    create_staff(world.access(), NewStaff("ann", "Ann@Example.org ", "Ann", role, password))


def test_an_issued_token_authenticates_its_staff_until_revoked_and_only_its_hash_is_stored() -> None:
    world = World()
    _staff(world)
    issued = issue_token(world.access(), "ann", "ci")
    assert issued.secret.startswith(f"tbk_{issued.token.id}_")
    stored = world.state.access.tokens[issued.token.id]
    assert issued.secret.split("_", 2)[2] not in repr(stored)
    principal = authenticate_token(world.access(), issued.secret)
    assert (principal.id, principal.role) == ("ann", Role.BILLING)
    for forged in (issued.secret + "x", f"tbk_{issued.token.id}_wrong", "tbk_nope_x", "Bearer x", ""):
        with pytest.raises(AccessDenied) as denied:
            authenticate_token(world.access(), forged)
        assert denied.value.denial is Denial.UNAUTHENTICATED
    revoke_token(world.access(), issued.token.id)
    with pytest.raises(AccessDenied):
        authenticate_token(world.access(), issued.secret)


def test_staff_emails_are_unique_and_stored_lower_case() -> None:
    world = World()
    _staff(world)
    assert world.state.access.staff["ann"].email == "ann@example.org"
    with pytest.raises(TelbillError) as refused:
        create_staff(world.access(), NewStaff("bob", "ann@example.org", "Bob", Role.SUPPORT))
    assert refused.value.kind is ErrorKind.CONFLICT


def test_passwords_are_at_least_ten_characters_and_emails_look_like_emails() -> None:
    world = World()
    with pytest.raises(TelbillError) as short:
        create_staff(world.access(), NewStaff("ann", "ann@example.org", "Ann", Role.ADMIN, "short"))
    assert short.value.field == "password"
    with pytest.raises(TelbillError) as email:
        create_staff(world.access(), NewStaff("ann", "not an email", "Ann", Role.ADMIN, "long enough password"))
    assert email.value.field == "email"


def test_a_customer_logs_in_with_the_password_of_their_login_and_the_same_refusal_for_every_miss() -> None:
    world = World()
    with world.uow() as uow:
        uow.accounts.add(professional("ACC-1"))
        uow.commit()
    create_login(world.access(), "ACC-1", "compta@dupont.example", "dupont-password", "nl")
    principal = check_password(world.access(), PrincipalKind.CUSTOMER, " Compta@Dupont.example", "dupont-password")
    assert (principal.account_id, principal.name) == ("ACC-1", "Bureau Dupont SRL")
    messages = set()
    for email, password in (
        ("compta@dupont.example", "wrong-password"),
        ("nobody@x.example", "dupont-password"),
        ("garbage", "x"),
    ):
        with pytest.raises(AccessDenied) as denied:
            check_password(world.access(), PrincipalKind.CUSTOMER, email, password)
        messages.add(denied.value.message)
    assert len(messages) == 1
    with pytest.raises(AccessDenied):  # a customer's password is no staff login
        check_password(world.access(), PrincipalKind.STAFF, "compta@dupont.example", "dupont-password")


def test_a_login_belongs_to_an_existing_account() -> None:
    with pytest.raises(TelbillError) as refused:
        create_login(World().access(), "NOPE", "x@example.org", "long enough password")
    assert refused.value.kind is ErrorKind.NOT_FOUND


def test_sessions_expire_carry_a_csrf_token_and_end_on_logout() -> None:
    world = World()
    _staff(world, Role.SUPPORT)
    principal = check_password(world.access(), PrincipalKind.STAFF, "ann@example.org", "correct horse battery")
    opened = open_session(world.access(), principal)
    assert opened.secret not in world.state.access.sessions  # the hash is the key
    active = session_of(world.access(), opened.secret)
    assert active.principal == principal
    check_csrf(active, opened.record.csrf_token)
    for forged in (None, "", "x"):
        with pytest.raises(AccessDenied):
            check_csrf(active, forged)
    world.clock.advance(timedelta(hours=8))
    with pytest.raises(AccessDenied):
        session_of(world.access(), opened.secret)
    again = open_session(world.access(), principal)
    assert len(world.state.access.sessions) == 1  # the expired one was dropped
    close_session(world.access(), again.secret)
    with pytest.raises(AccessDenied):
        session_of(world.access(), again.secret)


def test_an_idempotency_key_runs_once_replays_the_response_and_refuses_another_request() -> None:
    world = World()
    first = fingerprint("POST", "/api/v1/billRun", b'{"period":"2026-03"}')
    assert claim(world.access(), "staff:ann", "k-1", first) is None
    with pytest.raises(TelbillError) as running:
        claim(world.access(), "staff:ann", "k-1", first)
    assert running.value.code == "idempotency.in_progress"
    complete(world.access(), "staff:ann", "k-1", Replay(202, b'{"id":"BR-1"}', "application/json"))
    assert claim(world.access(), "staff:ann", "k-1", first) == Replay(202, b'{"id":"BR-1"}', "application/json")
    other = fingerprint("POST", "/api/v1/billRun", b'{"period":"2026-04"}')
    with pytest.raises(TelbillError) as mismatch:
        claim(world.access(), "staff:ann", "k-1", other)
    assert (mismatch.value.code, mismatch.value.kind) == ("idempotency.mismatch", ErrorKind.CONFLICT)
    assert claim(world.access(), "staff:bob", "k-1", other) is None  # keys belong to their principal
    release(world.access(), "staff:bob", "k-1")
    assert claim(world.access(), "staff:bob", "k-1", other) is None


def test_an_idempotency_key_is_printable_ascii_of_at_most_255_characters() -> None:
    for key in ("", "x" * 256, "é", "a\nb"):
        with pytest.raises(TelbillError):
            claim(World().access(), "staff:ann", key, "f")


def test_five_failures_in_fifteen_minutes_throttle_a_key_until_the_oldest_leaves_the_window() -> None:
    throttle, clock = LoginThrottle(), World().clock
    keys = ["email:a@example.org", "address:10.0.0.1"]
    for _ in range(5):
        throttle.check(keys, clock.now())
        throttle.failed(keys, clock.now())
        clock.advance(timedelta(minutes=1))
    with pytest.raises(AccessDenied) as throttled:
        throttle.check(["address:10.0.0.1"], clock.now())
    assert throttled.value.denial is Denial.THROTTLED
    assert throttled.value.retry_after == 10 * 60 + 1
    throttle.succeeded("email:a@example.org")  # the address stays limited
    throttle.check(["email:a@example.org"], clock.now())
    with pytest.raises(AccessDenied):
        throttle.check(keys, clock.now())
    clock.advance(timedelta(minutes=10, seconds=1))
    throttle.check(keys, clock.now())


def test_the_served_span_of_dates_runs_from_2000_to_a_year_ahead() -> None:
    from datetime import UTC, date, datetime

    from telbill.app.horizon import check_day, check_instant, check_period

    today = date(2026, 7, 15)
    check_day(date(2000, 1, 1), today, "day")
    check_day(date(2027, 7, 16), today, "day")
    check_period("2027-07", today)
    check_instant(datetime(2026, 7, 15, 23, 0, tzinfo=UTC), datetime(2026, 7, 15, tzinfo=UTC), "at")
    for refused in (
        lambda: check_day(date(1999, 12, 31), today, "day"),
        lambda: check_day(date(2027, 7, 17), today, "day"),
        lambda: check_period("0000-01", today),
        lambda: check_period("9999-12", today),
    ):
        with pytest.raises(TelbillError) as outside:
            refused()
        assert (outside.value.code, outside.value.kind) == ("horizon.date", ErrorKind.INVALID)
