"""Customers, orders, the subscription lifecycle, one-off charges, listings and the customer's own views
(app/customers.py, app/orders.py, app/bills.py, app/self_service.py) on fake storage with the seed catalogs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from telbill.app.access_store import DocumentFilter, PageRequest
from telbill.app.billing import BillingDeps, BillRunRequest, run_bill_run
from telbill.app.bills import BillState, CreditRequest, credit, find_bill, list_bills
from telbill.app.customers import NewAccount, list_accounts, normalise_vat_number, open_account
from telbill.app.orders import (
    Lifecycle,
    LifecycleRequest,
    NewCharge,
    NewSubscription,
    add_charge,
    list_charges,
    list_subscriptions,
    order_subscription,
    plan_and_options,
    record_lifecycle,
)
from telbill.app.self_service import consumption, how_to_pay
from telbill.core.billing.parties import Language
from telbill.core.catalog.schema import Segment
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.subscriptions import State as LifecycleState
from tests.app.access_world import World
from tests.app.builders import SELLER


def _dupont(**changes: object) -> NewAccount:
    fields: dict[str, object] = {
        "name": "Bureau Dupont SRL",
        "street": "Rue de la Loi 16",
        "postcode": "1000",
        "city": "Bruxelles",
        "catalog_id": "telenet-clic-bureau",
        "segment": Segment.PROFESSIONAL,
        "language": Language.FR,
        "id": "TEL-DUPONT",
        "vat_number": "be 0403.170.701",
    }
    fields.update(changes)
    return NewAccount(**fields)  # type: ignore[arg-type]


def test_an_account_is_opened_with_its_identifiers_as_people_type_them_stored_canonical() -> None:
    world = World()
    account = open_account(world.customers(), _dupont())
    assert (account.party.vat_number, account.party.enterprise_number) == ("BE0403170701", "0403170701")
    other = open_account(world.customers(), _dupont(id=None, vat_number=None, enterprise_number="403.170.701"))
    assert other.id.startswith("ACC-") and other.party.vat_number is None
    assert other.party.enterprise_number == "0403170701"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"vat_number": "BE0403170702"}, "enterprise_number"),  # a wrong check digit
        ({"vat_number": None, "enterprise_number": None}, "enterprise_number"),  # professional without one
        ({"enterprise_number": "0202239951"}, "vat_number"),  # VAT number of another enterprise
        ({"id": "no spaces allowed"}, "id"),
        ({"billing_day": 31}, "billing_day"),
    ],
)
def test_an_account_that_breaks_a_rule_is_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(TelbillError) as refused:
        open_account(World().customers(), _dupont(**changes))
    assert refused.value.kind is ErrorKind.INVALID
    assert refused.value.field == field


def test_an_unknown_catalog_or_an_existing_id_is_refused() -> None:
    world = World()
    open_account(world.customers(), _dupont())
    with pytest.raises(TelbillError) as conflict:
        open_account(world.customers(), _dupont())
    assert conflict.value.kind is ErrorKind.CONFLICT
    with pytest.raises(TelbillError) as unknown:
        open_account(world.customers(), _dupont(id="X", catalog_id="no-such-catalog"))
    assert unknown.value.kind is ErrorKind.NOT_FOUND


def test_vat_numbers_are_normalised_per_country() -> None:
    assert normalise_vat_number("BE 0403.170.701", "BE") == "BE0403170701"
    assert normalise_vat_number("fr 40 303 265 045", "FR") == "FR40303265045"


def test_accounts_are_listed_a_page_at_a_time_in_id_order() -> None:
    world = World()
    for n in range(5):
        open_account(world.customers(), _dupont(id=f"A{n}"))
    page = list_accounts(world.customers(), PageRequest(2, 2))
    assert ([a.id for a in page.items], page.total) == (["A2", "A3"], 5)
    assert list_accounts(world.customers(), PageRequest(0, 5), "belgacom-fees-indemnities").total == 0
    with pytest.raises(TelbillError):
        PageRequest(0, 0)


def _ordered(world: World) -> str:
    open_account(world.customers(), _dupont())
    new = plan_and_options(world.customers(), "TEL-DUPONT", date(2026, 1, 5), ("SAFESPOT-PRO", "CLIC-BUREAU"))
    assert (new.plan_code, new.options) == ("CLIC-BUREAU", ("SAFESPOT-PRO",))
    subscription = order_subscription(
        world.customers(), NewSubscription(new.account_id, new.plan_code, new.day, new.options, ("02 555 12 34",))
    )
    assert subscription.numbers == ("+3225551234",)
    return subscription.id


def test_an_order_names_one_plan_of_the_accounts_catalog_and_options_it_offers() -> None:
    world = World()
    assert _ordered(world) == "TEL-DUPONT-1"
    customers = world.customers()
    with pytest.raises(TelbillError) as two:
        plan_and_options(customers, "TEL-DUPONT", date(2026, 1, 5), ("SAFESPOT-PRO",))
    assert two.value.code == "order.plan_count"
    with pytest.raises(TelbillError) as foreign:
        order_subscription(customers, NewSubscription("TEL-DUPONT", "CLIC-BUREAU", date(2026, 1, 5), ("TRENCH",)))
    assert foreign.value.code == "order.not_an_option"
    with pytest.raises(TelbillError) as unknown:
        order_subscription(customers, NewSubscription("TEL-DUPONT", "NOPE", date(2026, 1, 5)))
    assert unknown.value.kind is ErrorKind.NOT_FOUND


def test_the_lifecycle_accepts_its_transitions_and_refuses_the_others_with_a_conflict() -> None:
    world = World()
    sub = _ordered(world)
    customers, care = world.customers(), world.care()
    steps = [
        (Lifecycle.ACTIVATE, "2026-01-10", None),
        (Lifecycle.ADD_OPTION, "2026-02-01", "SPEEDBOOST-1GB"),
        (Lifecycle.SUSPEND, "2026-03-01", None),
        (Lifecycle.REACTIVATE, "2026-03-05", None),
        (Lifecycle.REMOVE_OPTION, "2026-04-01", "SAFESPOT-PRO"),
    ]
    for kind, day, item in steps:
        record_lifecycle(customers, care, sub, LifecycleRequest(kind, date.fromisoformat(day), item))
    with pytest.raises(TelbillError) as refused:
        record_lifecycle(customers, care, sub, LifecycleRequest(Lifecycle.REACTIVATE, date(2026, 4, 2)))
    assert refused.value.kind is ErrorKind.CONFLICT
    done = record_lifecycle(customers, care, sub, LifecycleRequest(Lifecycle.TERMINATE, date(2026, 5, 1)))
    assert done.timeline().state is LifecycleState.TERMINATED
    assert list_subscriptions(customers, PageRequest(0, 10), "TEL-DUPONT").total == 1
    assert [s.id for s in list_subscriptions(customers, PageRequest(0, 10)).items] == [sub]


def test_an_installation_request_opens_a_ticket_that_the_activation_puts_in_service() -> None:
    world = World()
    sub = _ordered(world)
    request = LifecycleRequest(Lifecycle.REQUEST_INSTALLATION, date(2026, 1, 6), due=date(2026, 1, 12))
    record_lifecycle(world.customers(), world.care(), sub, request)
    record_lifecycle(world.customers(), world.care(), sub, LifecycleRequest(Lifecycle.ACTIVATE, date(2026, 1, 10)))
    ticket = world.state.care.tickets[f"{sub}:installation:2026-01-06"]
    assert ticket.facts().resolved is not None


def test_a_porting_names_its_numbers_and_adds_them_when_completed() -> None:
    world = World()
    sub = _ordered(world)
    with pytest.raises(TelbillError) as none:
        record_lifecycle(
            world.customers(), world.care(), sub, LifecycleRequest(Lifecycle.REQUEST_PORTING, date(2026, 1, 6))
        )
    assert none.value.kind is ErrorKind.NEEDS_INPUT
    ask = LifecycleRequest(
        Lifecycle.REQUEST_PORTING, date(2026, 1, 6), numbers=("0470 12 34 56",), due=date(2026, 1, 9)
    )
    record_lifecycle(world.customers(), world.care(), sub, ask)
    done = LifecycleRequest(Lifecycle.COMPLETE_PORTING, date(2026, 1, 8), numbers=("+32470123456",))
    updated = record_lifecycle(world.customers(), world.care(), sub, done)
    assert updated.numbers == ("+3225551234", "+32470123456")
    assert world.state.care.tickets[f"{sub}:porting:2026-01-06"].facts().resolved is not None


def test_a_one_off_charge_is_priced_now_recorded_once_per_key_and_billed_on_the_next_run() -> None:
    world = World()
    sub = _ordered(world)
    new = NewCharge("TEL-DUPONT", "INSTALL-BUSINESS", date(2026, 1, 10), subscription_id=sub, key="key-1")
    first = add_charge(world.customers(), new)
    again = add_charge(world.customers(), new)
    assert (first.recorded, again.recorded, str(first.line.net)) == (True, False, "200.00")
    with pytest.raises(TelbillError):
        add_charge(world.customers(), NewCharge("TEL-DUPONT", "TRENCH", date(2026, 1, 10), Decimal(3)))
    [view] = list_charges(world.customers(), "TEL-DUPONT")
    assert (view.id, str(view.net), view.billed_document) == ("TEL-DUPONT:api-key-1", "200.00", None)
    run_bill_run(BillingDeps(world.uow, world.catalog, SELLER), BillRunRequest("2026-02", date(2026, 2, 1)))
    [billed] = list_charges(world.customers(), "TEL-DUPONT")
    assert billed.billed_document == "F2026-000001"


def _billed_world() -> World:
    world = World()
    sub = _ordered(world)
    record_lifecycle(world.customers(), world.care(), sub, LifecycleRequest(Lifecycle.ACTIVATE, date(2026, 1, 10)))
    run_bill_run(BillingDeps(world.uow, world.catalog, SELLER), BillRunRequest("2026-02", date(2026, 2, 1)))
    return world


def test_bills_are_listed_latest_first_with_their_state_and_a_credit_note_settles_what_it_corrects() -> None:
    world = _billed_world()
    page = list_bills(world.factory, PageRequest(0, 10), DocumentFilter("TEL-DUPONT"))
    [only] = page.items
    assert (only.summary.number, only.standing.state) == ("F2026-000001", BillState.SENT)
    deps = BillingDeps(world.uow, world.catalog, SELLER)
    credit(deps, CreditRequest("F2026-000001", date(2026, 2, 3)))
    bill = find_bill(world.factory, "F2026-000001")
    assert bill.standing.state is BillState.SETTLED
    assert [b.summary.number for b in list_bills(world.factory, PageRequest(0, 10), DocumentFilter()).items] == [
        "C2026-000001",
        "F2026-000001",
    ]
    with pytest.raises(TelbillError):
        credit(deps, CreditRequest("F2026-000001", date(2026, 2, 3), lines=()))


def test_the_consumption_of_the_current_period_counts_running_items_and_waiting_charges() -> None:
    world = _billed_world()
    add_charge(world.customers(), NewCharge("TEL-DUPONT", "INSTALL-CONFORT", date(2026, 3, 3), key="k"))
    used = consumption(world.factory, world.catalog, "TEL-DUPONT", date(2026, 3, 15))
    assert (used.period.start, used.period.end) == (date(2026, 3, 1), date(2026, 4, 1))
    assert sorted((line.kind, line.item_code, str(line.net)) for line in used.lines) == [
        ("one_time", "INSTALL-CONFORT", "70.25"),
        ("recurring", "CLIC-BUREAU", "69.64"),
        ("recurring", "SAFESPOT-PRO", "8.00"),
    ]
    assert [p for p, _ in used.history] == ["2026-02"]


def test_how_to_pay_lists_open_invoices_with_the_sellers_iban_and_the_structured_communication() -> None:
    world = _billed_world()
    found = how_to_pay(world.factory, "TEL-DUPONT", date(2026, 3, 15))
    [open_item] = found.open
    bill = find_bill(world.factory, "F2026-000001")
    assert (open_item.iban, open_item.amount) == (SELLER.iban, bill.stored.document.totals.gross)
    assert open_item.communication == bill.stored.document.structured_communication
    assert open_item.overdue and found.mandate is None and found.balance == open_item.amount
