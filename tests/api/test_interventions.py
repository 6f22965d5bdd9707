"""The API's intervention reports: a technician's report → the repair charges of the Belgacom sheet, waiting for
the next bill; refusals name the field at fault.

The amounts are worked by hand from seed 004 §5 (« Levée d'un dérangement si responsabilité d'un tiers »),
TVAC column, net = TVAC / 1.21 rounded to the cent (the catalog's price basis is TVAC):

- travel (« Déplacement ») € 50 → 41.32;
- 50 minutes of work at € 20 « par quart d'heure »: 4 started quarter hours, € 80 → 66.12;
- out of hours (« Supplément … en dehors de heures de service normal ») € 136 → 112.40: the hotel's line has
  Privilege Garantie, whose hours end at 18:00 (not 24/24), so the supplement is due;
- together 41.32 + 66.12 + 112.40 = 219.84.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from telbill.app.access import Role
from tests.api.world import Served, problem

API = "/api/v1"
REPORT = {
    "id": "INT-1",
    "date": "2026-07-14",
    "product": {"id": "BGC-MERIDIEN-1"},
    "troubleTicket": {"id": "BGC-T-1"},
    "equipment": "terminal_sold",
    "fault": "third_party",
    "minutes": 50,
    "outOfHours": True,
}


def _post(world: Served, body: dict[str, Any], key: str, role: Role = Role.SUPPORT) -> Any:
    return world.client(role).post(f"{API}/interventionReport", json=body, headers={"Idempotency-Key": key})


def _nets(charges: list[dict[str, Any]]) -> list[tuple[str, Decimal]]:
    return [(c["id"], Decimal(str(c["taxExcludedAmount"]["value"]))) for c in charges]


def test_a_third_partys_fault_out_of_hours_charges_travel_quarter_hours_and_the_supplement(world: Served) -> None:
    done = _post(world, REPORT, "int-1")
    assert done.status_code == 201, done.text
    body = done.json()
    assert (body["recorded"], body["billingAccount"]["id"], body["troubleTicket"]["id"]) == (
        True,
        "BGC-MERIDIEN",
        "BGC-T-1",
    )
    expected = [("INT-1:1", Decimal("41.32")), ("INT-1:2", Decimal("66.12")), ("INT-1:3", Decimal("112.40"))]
    assert _nets(body["appliedCustomerBillingRate"]) == expected
    offerings = [c["productOffering"]["name"] for c in body["appliedCustomerBillingRate"]]
    assert offerings == ["REPAIR-THIRD-TRAVEL", "REPAIR-THIRD-LABOUR", "OUT-OF-HOURS"]
    assert Decimal(str(body["taxExcludedAmount"]["value"])) == Decimal("219.84")
    waiting = world.client(Role.READ_ONLY).get(
        f"{API}/appliedCustomerBillingRate", params={"billingAccount.id": "BGC-MERIDIEN", "limit": 200}
    )
    assert [c for c in _nets(waiting.json()) if c[0].startswith("INT-1:")] == expected


def test_a_report_sent_again_answers_the_same_and_charges_once(world: Served) -> None:
    first = _post(world, REPORT, "int-1")
    replayed = _post(world, REPORT, "int-1")
    assert replayed.headers["idempotent-replayed"] == "true" and replayed.json() == first.json()
    again = _post(world, REPORT, "int-1-other-key")  # the same report id under another key: known, nothing added
    assert again.status_code == 200 and again.json()["recorded"] is False
    count = "SELECT count(*) FROM pending_charges WHERE id LIKE 'INT-1:%'"
    assert world.scalar(count) == 3


def test_a_known_report_id_sent_again_unchanged_answers_what_was_stored(world: Served) -> None:
    first = _post(world, REPORT, "int-1").json()
    again = _post(world, REPORT, "int-1-again")
    assert again.status_code == 200 and "idempotent-replayed" not in again.headers
    assert again.json() == {**first, "recorded": False}


def test_a_known_report_id_with_other_facts_is_a_conflict_naming_it(world: Served) -> None:
    # the same report id with more minutes and no supplement: answering its charges would show figures that
    # were never booked, answering the first report's would pass them off as the second's
    _post(world, REPORT, "int-1")
    changed = {**REPORT, "minutes": 120, "outOfHours": False}
    body = problem(_post(world, changed, "int-1-changed"), 409, "intervention.conflict", "id")
    assert "INT-1" in body["detail"]
    problem(_post(world, {**REPORT, "date": "2026-07-15"}, "int-1-later"), 409, "intervention.conflict", "id")
    pending = "SELECT count(*) FROM pending_charges WHERE id LIKE 'INT-1:%'"
    assert world.scalar(pending) == 3


def test_the_operators_fault_is_free_and_says_why(world: Served) -> None:
    free = {**REPORT, "id": "INT-2", "fault": "operator", "equipment": "infrastructure", "outOfHours": False}
    done = _post(world, free, "int-2")
    assert done.status_code == 201, done.text
    body = done.json()
    assert _nets(body["appliedCustomerBillingRate"]) == [("INT-2:1", Decimal("0.00"))]
    assert body["note"] == ["free: the fault is the operator's"]


def test_bad_reports_are_refused_naming_the_field(world: Served) -> None:
    problem(_post(world, {**REPORT, "minutes": -5}, "bad-1"), 400, "request.invalid", "minutes")
    light = {**REPORT, "light": True, "minutes": 45}
    problem(_post(world, light, "bad-2"), 422, "intervention.light_too_long", "minutes")
    unquoted = {**REPORT, "part": [{"description": "combiné"}]}
    problem(_post(world, unquoted, "bad-3"), 422, "intervention.part_quote", "part")
    sub_cent = {**REPORT, "part": [{"description": "combiné", "quote": 12.345}]}
    problem(_post(world, sub_cent, "bad-4"), 422, "intervention.amount", "part.0.quote")
    replaced = {**REPORT, "terminalReplaced": True}  # a third party's fault: no replacement indemnity
    problem(_post(world, replaced, "bad-5"), 422, "intervention.replacement", "terminalReplaced")
    elsewhere = {**REPORT, "product": {"id": "TEL-DUPONT-1"}}  # BGC-T-1 is the hotel's line's ticket
    problem(_post(world, elsewhere, "bad-6"), 422, "intervention.ticket", "troubleTicket")
    problem(_post(world, {**REPORT, "date": "2999-01-01"}, "bad-7"), 422, "horizon.date", "date")
    problem(_post(world, {**REPORT, "product": {"id": "NOPE"}}, "bad-8"), 404, "subscription.not_found")
    unkeyed = world.client(Role.SUPPORT).post(f"{API}/interventionReport", json=REPORT)
    problem(unkeyed, 400, "request.invalid", "Idempotency-Key")
    problem(_post(world, REPORT, "ro", Role.READ_ONLY), 403, "access.forbidden")
    problem(_post(world, REPORT, "billing", Role.BILLING), 403, "access.forbidden")  # tickets are support's
    assert world.scalar("SELECT count(*) FROM pending_charges WHERE id LIKE 'INT-1:%'") == 0
