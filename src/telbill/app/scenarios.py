"""Scenario replay: one account's timeline on a throwaway store, and the documents it produces.

It answers the operator's "what will this customer pay", and it is the format of the golden tests
(tests/scenarios/*.yaml, docs/scenarios.md). Every event goes through the same use cases as production.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from telbill.app.billing import BillingDeps, BillRunRequest, run_bill_run
from telbill.app.corrections import issue_credit_note
from telbill.app.scenario_care import (
    follow_lifecycle,
    play_intervention,
    play_ticket_event,
    porting_numbers,
    with_compensation,
)
from telbill.app.scenario_receivables import play_dunning, play_payment
from telbill.app.scenario_schema import Event, ExpectedDocument, Scenario
from telbill.app.scenario_usage import play_usage, with_usage
from telbill.app.store import StoredDocument
from telbill.core.accounts import Account
from telbill.core.billing.charges import PendingCharge
from telbill.core.billing.parties import Language, Party
from telbill.core.billing.run import pricing_for
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.pricing import price_order
from telbill.core.catalog.schema import Segment
from telbill.core.errors import TelbillError
from telbill.core.subscriptions import Event as LifecycleEvent
from telbill.core.subscriptions import EventKind, Subscription

_ACTIONS = {"installation_done": EventKind.ACTIVATE}


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    scenario: Scenario
    documents: tuple[StoredDocument, ...]
    mismatches: tuple[str, ...]


def account_of(scenario: Scenario) -> Account:
    c = scenario.customer
    party = Party(c.name, c.street, c.postcode, c.city, c.country, Language(c.language), c.vat_number,
                  c.enterprise_number, c.email)  # fmt: skip
    return Account(
        c.id, party, Segment(c.segment), scenario.catalog, c.billing_day, payment_terms_days=c.payment_terms_days
    )


def run_scenario(deps: BillingDeps, scenario: Scenario) -> ScenarioResult:
    documents = tuple(replay(deps, [scenario]))
    mismatches = tuple(compare(scenario.expect, documents)) if scenario.expect else ()
    return ScenarioResult(scenario, documents, mismatches)


def replay(deps: BillingDeps, scenarios: Sequence[Scenario]) -> list[StoredDocument]:
    """Replay several timelines on one store: every account first, then all events in date order (a file's
    own order kept on the same day). A bill run bills every account, so one bill event per period and date
    is enough: the others are the same event."""
    deps = with_usage(with_compensation(deps))
    accounts = [account_of(scenario) for scenario in scenarios]
    with deps.unit_of_work() as uow:
        for scenario, account in zip(scenarios, accounts, strict=True):
            deps.catalog(scenario.catalog)  # an unknown catalog fails before anything is written
            uow.accounts.add(account)
            for spec in scenario.subscriptions:
                uow.subscriptions.add(Subscription(spec.id, account.id, spec.plan, spec.options, (), spec.numbers))
        uow.commit()
    timeline = sorted(
        ((event.on, n, index, event) for n, s in enumerate(scenarios) for index, event in enumerate(s.events)),
        key=lambda entry: entry[:3],
    )
    documents: list[StoredDocument] = []
    bill_runs_done: set[tuple[str, object]] = set()
    for _, n, index, event in timeline:
        if event.bill is not None:
            if (event.bill, event.on) in bill_runs_done:
                continue
            bill_runs_done.add((event.bill, event.on))
        try:
            documents += _play(deps, accounts[n], index, event)
        except TelbillError as error:
            where = f"events[{index}] ({event.on})"
            raise TelbillError(error.code, f"{where}: {error.message}", error.kind, error.field or where) from error
    return documents


def _play(deps: BillingDeps, account: Account, index: int, event: Event) -> list[StoredDocument]:
    if event.bill is not None:
        report = run_bill_run(deps, BillRunRequest(event.bill, event.on))
        with deps.unit_of_work() as uow:
            return [uow.documents.get(number) for number in report.documents]
    if event.credit is not None:
        return [issue_credit_note(deps, event.credit, event.on, event.lines, event.reason or None)]
    if event.event is not None:
        play_ticket_event(deps, event)
        return []
    if event.intervention is not None:
        play_intervention(deps, event)
        return []
    if event.usage is not None:
        play_usage(deps, account, index, event)
        return []
    if event.pay is not None:
        play_payment(deps, account, index, event)
        return []
    if event.dunning is not None:
        play_dunning(deps, event)
        return []
    if event.charge is not None:
        _charge(deps, account, index, event)
    else:
        _lifecycle(deps, event)
    return []


def _charge(deps: BillingDeps, account: Account, index: int, event: Event) -> None:
    quantity = None if event.quantity is None else Decimal(str(event.quantity))
    assert event.charge is not None
    order = Order(event.charge, quantity, tuple(event.params.items()))
    price_order(pricing_for(deps.catalog(account.catalog_id), account)(event.on), order)  # fail now, not at billing
    charge = PendingCharge(f"{account.id}:event-{index}", event.subscription, order, event.on, event.reason)
    with deps.unit_of_work() as uow:
        uow.charges.add(account.id, charge)
        uow.commit()


def _lifecycle(deps: BillingDeps, event: Event) -> None:
    assert event.do is not None and event.subscription is not None
    with deps.unit_of_work() as uow:
        subscription = uow.subscriptions.get(event.subscription)
        if event.do in ("request_porting", "complete_porting"):
            updated = _porting(subscription, event)
        else:
            kind = _ACTIONS.get(event.do) or EventKind(event.do)
            updated = subscription.with_event(LifecycleEvent(kind, event.on, event.item))
        uow.subscriptions.save(updated)
        uow.commit()
    follow_lifecycle(deps, event)


def _porting(subscription: Subscription, event: Event) -> Subscription:
    """Porting is recorded on the subscription's numbers when done; its delays are compensated elsewhere."""
    ported = porting_numbers(event)
    if not ported:
        raise TelbillError("scenario.porting_number", f"{event.do} needs the number being ported", field="number")
    if event.do == "request_porting":
        return subscription
    numbers = (*subscription.numbers, *(n for n in ported if n not in subscription.numbers))
    return Subscription(subscription.id, subscription.account_id, subscription.plan_code, subscription.options,
                        subscription.events, numbers)  # fmt: skip


def compare(expected: tuple[ExpectedDocument, ...], documents: tuple[StoredDocument, ...]) -> list[str]:
    """Every difference between the expected documents and those produced, as readable sentences."""
    found = {d.document.number: d for d in documents}
    problems = [f"unexpected document {n}" for n in found if n not in {e.number for e in expected}]
    for want in expected:
        got = found.get(want.number)
        if got is None:
            problems.append(f"{want.number} was not issued")
            continue
        problems += _compare_document(want, got)
    return problems


def _compare_document(want: ExpectedDocument, got: StoredDocument) -> list[str]:
    document, totals = got.document, got.document.totals
    problems = []
    if want.type != document.type.name.lower():
        problems.append(f"{want.number}: type {document.type.name.lower()}, expected {want.type}")
    if want.out_of_scope != got.out_of_scope:
        problems.append(f"{want.number}: out_of_scope {got.out_of_scope}, expected {want.out_of_scope}")
    for name, value in (("net", totals.net), ("vat", totals.vat), ("gross", totals.gross)):
        expected_value = getattr(want, name)
        if expected_value is not None and expected_value != value.amount:
            problems.append(f"{want.number}: {name} {value}, expected {expected_value:.2f}")
    if want.lines is not None:
        lines = [(line.item_code, str(line.net)) for line in document.lines]
        expected_lines = [(line.item, line.net) for line in want.lines]
        if lines != expected_lines:
            problems.append(f"{want.number}: lines {lines}, expected {expected_lines}")
    return problems
