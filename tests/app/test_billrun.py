"""The bill run use case over in-memory storage, with invoices worked out by hand from the seeds."""

from __future__ import annotations

from datetime import date

from telbill.core.billing.charges import PendingCharge
from telbill.core.billing.invoice import DocumentType
from telbill.core.catalog.inputs import Order
from telbill.core.tax.treatment import VatCategory
from tests.app.builders import Operator, professional, residential, subscription


def totals(operator: Operator, number: str) -> tuple[str, str, str]:
    t = operator.state.documents[number].document.totals
    return (str(t.net), str(t.vat), str(t.gross))


def clic_bureau_customer(operator: Operator, *events: tuple[str, str, str | None]) -> None:
    with operator.uow() as uow:
        uow.accounts.add(professional("ACC-1"))
        uow.subscriptions.add(
            subscription(
                "SUB-1", "ACC-1", "CLIC-BUREAU", ("activate", "2026-03-10", None), *events, options=("SAFESPOT-PRO",)
            )
        )
        uow.charges.add(
            "ACC-1", PendingCharge("SUB-1:install", "SUB-1", Order("INSTALL-BUSINESS"), date(2026, 3, 10), "")
        )
        uow.commit()


def test_nothing_is_billed_before_activation() -> None:
    operator = Operator()
    clic_bureau_customer(operator)
    report = operator.bill("2026-03", "2026-03-01")
    assert (report.billed, report.documents) == (1, [])


def test_first_invoice_prorates_the_first_month_and_bills_the_next_in_advance() -> None:
    operator = Operator()
    clic_bureau_customer(operator)
    report = operator.bill("2026-04", "2026-04-01")
    assert report.documents == ["F2026-000001"]
    lines = operator.state.documents["F2026-000001"].document.lines
    # March, active 10–31 = 22 of 31 days: 69.64 × 22 / 31 = 49.4219… → 49.42; 8.00 × 22 / 31 = 5.6774… → 5.68
    # April in advance: 69.64 + 8.00; installation 200.00
    assert sorted(str(line.net) for line in lines) == ["200.00", "49.42", "5.68", "69.64", "8.00"]
    # net 332.74; VAT 332.74 × 0.21 = 69.8754 → 69.88; gross 402.62
    assert totals(operator, "F2026-000001") == ("332.74", "69.88", "402.62")


def test_a_second_run_of_the_same_period_bills_nothing() -> None:
    operator = Operator()
    clic_bureau_customer(operator)
    operator.bill("2026-04", "2026-04-01")
    again = operator.bill("2026-04", "2026-04-01")
    assert (again.billed, again.already_processed, again.documents) == (0, 1, [])
    assert list(operator.state.documents) == ["F2026-000001"]


def test_termination_after_an_advance_gives_a_credit_note() -> None:
    operator = Operator()
    clic_bureau_customer(operator, ("terminate", "2026-05-16", None))
    operator.bill("2026-04", "2026-04-01")
    may = operator.bill("2026-05", "2026-05-01")  # the termination is not known yet on 1 May
    assert totals(operator, may.documents[0]) == ("77.64", "16.30", "93.94")  # 77.64 × 0.21 = 16.3044
    june = operator.bill("2026-06", "2026-06-01")
    assert june.documents == ["C2026-000001"]
    credit = operator.state.documents["C2026-000001"].document
    assert credit.type is DocumentType.CREDIT_NOTE
    assert credit.preceding is not None and credit.preceding.number == may.documents[0]
    # May was in service 1–15 May = 15 of 31 days: 69.64 × 15 / 31 = 33.6967… → 33.70, billed 69.64: −35.94;
    # 8.00 × 15 / 31 = 3.8709… → 3.87, billed 8.00: −4.13. Credit 40.07 net, VAT 8.4147 → 8.41, gross 48.48
    assert sorted(str(line.net) for line in credit.lines) == ["35.94", "4.13"]
    assert totals(operator, "C2026-000001") == ("40.07", "8.41", "48.48")


def belgacom_line(operator: Operator, *events: tuple[str, str, str | None]) -> None:
    with operator.uow() as uow:
        uow.accounts.add(residential("ACC-2"))
        uow.subscriptions.add(
            subscription("SUB-2", "ACC-2", "DIRECTORY-LINE-SIMPLE", ("activate", "2026-01-01", None), *events)
        )
        uow.commit()


def test_a_monthly_line_at_the_tvac_price_of_the_sheet() -> None:
    operator = Operator()
    belgacom_line(operator)
    report = operator.bill("2026-01", "2026-01-01")
    # 34.49 TVAC → net 28.50 (34.49 / 1.21 = 28.5041…); VAT 28.50 × 0.21 = 5.985 → 5.99; gross 34.49
    assert totals(operator, report.documents[0]) == ("28.50", "5.99", "34.49")


def test_reactivation_fee_goes_on_a_document_of_its_own() -> None:
    operator = Operator()
    belgacom_line(operator, ("suspend", "2026-02-10", None), ("reactivate", "2026-02-20", None))
    for period in ("2026-01", "2026-02"):
        operator.bill(period, f"{period}-01")
    march = operator.bill("2026-03", "2026-03-01")
    assert march.documents == ["F2026-000003", "F2026-000004"]
    fee = operator.state.documents["F2026-000004"]
    assert fee.out_of_scope and fee.document.categories == {VatCategory.OUTSIDE_SCOPE}
    # the suspension did not stop the recurring fee: March 28.50 net; reactivation fee 30.00 outside VAT
    assert totals(operator, "F2026-000003") == ("28.50", "5.99", "34.49")
    assert totals(operator, "F2026-000004") == ("30.00", "0.00", "30.00")


def test_early_termination_charges_the_fees_until_the_first_anniversary() -> None:
    operator = Operator()
    belgacom_line(operator, ("terminate", "2026-04-01", None))
    for period in ("2026-01", "2026-02", "2026-03"):
        operator.bill(period, f"{period}-01")
    april = operator.bill("2026-04", "2026-04-01")
    # in service 1 Jan – 31 Mar; 9 whole months remain until 1 Jan 2027: 9 × 28.50 = 256.50, outside VAT
    assert april.documents == ["F2026-000004"]
    assert totals(operator, "F2026-000004") == ("256.50", "0.00", "256.50")
    assert operator.state.documents["F2026-000004"].document.lines[0].item_code == "EARLY-TERMINATION"


def test_small_batches_number_invoices_without_gaps() -> None:
    operator = Operator()
    with operator.uow() as uow:
        for n in range(7):
            uow.accounts.add(professional(f"ACC-{n}"))
            uow.subscriptions.add(subscription(f"SUB-{n}", f"ACC-{n}", "CLIC-BUREAU", ("activate", "2026-01-01", None)))
        uow.commit()
    report = operator.bill("2026-01", "2026-01-01", batch_size=3)
    assert report.documents == [f"F2026-00000{n}" for n in range(1, 8)]
    assert report.billed == 7


def test_a_gsm_not_returned_within_30_days_costs_150_outside_vat() -> None:
    operator = Operator()
    belgacom_line(operator, ("lend_device", "2026-01-05", "GSM-1"))
    operator.bill("2026-01", "2026-01-01")
    february = operator.bill("2026-02", "2026-02-01")  # 5 Jan + 30 days = 4 Feb: still time to return it
    assert [operator.state.documents[n].out_of_scope for n in february.documents] == [False]
    march = operator.bill("2026-03", "2026-03-01")
    fee = operator.state.documents[march.documents[-1]]
    assert fee.out_of_scope and fee.document.lines[0].item_code == "GSM-NOT-RETURNED"
    assert totals(operator, march.documents[-1]) == ("150.00", "0.00", "150.00")


def test_a_gsm_returned_on_the_30th_day_costs_nothing() -> None:
    operator = Operator()
    belgacom_line(operator, ("lend_device", "2026-01-05", "GSM-1"), ("return_device", "2026-02-04", "GSM-1"))
    operator.bill("2026-03", "2026-03-01")
    assert all(not d.out_of_scope for d in operator.state.documents.values())


def test_the_catalogs_operator_is_the_seller_of_its_invoices() -> None:
    operator = Operator()
    clic_bureau_customer(operator)
    operator.bill("2026-04", "2026-04-01")
    seller = operator.state.documents["F2026-000001"].document.seller
    assert (seller.party.name, seller.party.vat_number) == ("Telenet BV", "BE0473416418")


def test_a_credit_note_refers_to_the_latest_invoice_for_services_not_to_an_indemnity() -> None:
    operator = Operator()
    belgacom_line(
        operator, ("suspend", "2026-02-10", None), ("reactivate", "2026-02-20", None), ("terminate", "2026-03-16", None)
    )
    for period in ("2026-01", "2026-02"):
        operator.bill(period, f"{period}-01")
    march = operator.bill("2026-03", "2026-03-01")
    assert march.documents == ["F2026-000003", "F2026-000004"]  # March's fee, then the reactivation fee (O)
    april = operator.bill("2026-04", "2026-04-01")
    assert april.documents == ["C2026-000001", "F2026-000005"]  # the services' document first, then the O one
    credit = operator.state.documents["C2026-000001"].document
    assert credit.preceding is not None and credit.preceding.number == "F2026-000003"
    # March in service 1–15 = 15 of 31 days: 28.50 × 15 / 31 = 13.7903… → 13.79, billed 28.50 → credit 14.71;
    # VAT 14.71 × 0.21 = 3.0891 → 3.09; gross 17.80
    assert totals(operator, "C2026-000001") == ("14.71", "3.09", "17.80")
    # remaining until 1 January 2027: 16–31 March (16 of 31 days: 28.50 × 16 / 31 = 14.7096… → 14.71)
    # plus April–December 9 × 28.50 = 256.50; 271.21 outside VAT
    assert totals(operator, "F2026-000005") == ("271.21", "0.00", "271.21")
