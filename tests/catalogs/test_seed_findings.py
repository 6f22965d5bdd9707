"""`catalog check` on the seed catalogs: nothing on Telenet, and exactly the real inconsistencies of the
Belgacom sheet, each verified by hand:

- TVAC/HTVA pairs that disagree whichever column is taken as declared: 15.00 / 1.21 = 12.3966… → 12.40 but
  12.39 printed (and 12.39 × 1.21 = 14.9919 → 14.99 ≠ 15.00), three times; 34.49 / 1.21 = 28.5041… → 28.50
  but 28.51 printed (28.51 × 1.21 = 34.4971 → 34.50); 404.93 / 1.21 = 334.6528… → 334.65 but 334.66 printed.
- TVAC figures no net in cents reaches at 21 %: 3.72 (3.07 → 3.71, 3.08 → 3.73), 0.37 twice (0.30 → 0.36,
  0.31 → 0.38), 24.00 (19.83 → 23.99, 19.84 → 24.01), 10.00 twice (8.26 → 9.99, 8.27 → 10.01).
- The number-change tiers overlap on the 4th change ("jusqu'à 4 … gratuit", "à partir du 4ième … € 6,20").
- Compensations (outside the scope of VAT) printed with TVAC and HTVA figures: R2 and Privilege, 2 each.
"""

from __future__ import annotations

from collections import Counter

from telbill.core.catalog.checks import check_catalog
from telbill.core.errors import Severity
from tests.catalogs.conftest import seed_catalog


def test_the_telenet_catalog_has_no_finding() -> None:
    assert check_catalog(seed_catalog("telenet-clic-bureau")) == []


def test_the_belgacom_catalog_reports_its_real_inconsistencies_and_nothing_else() -> None:
    catalog = seed_catalog("belgacom-fees-indemnities")
    version = catalog.versions[0]
    findings = check_catalog(catalog)
    assert all(f.severity is Severity.WARNING for f in findings)

    def code_of(field: str) -> str:  # versions[0].items[12]… or versions[0].compensations[7]…
        kind, _, rest = field.split(".", 2)[1].partition("[")
        index = int(rest.rstrip("]"))
        return version.items[index].code if kind == "items" else version.compensations[index].code

    found = Counter((f.code, code_of(f.location.field or "")) for f in findings)
    assert found == Counter(
        {
            ("price.pair_mismatch", "TRENCH"): 1,
            ("price.pair_mismatch", "DIRECTORY-ACCESS"): 1,
            ("price.pair_mismatch", "DIRECTORY-ROUTING"): 1,
            ("price.pair_mismatch", "DIRECTORY-LINE-SIMPLE"): 1,
            ("price.pair_mismatch", "MSG-EXT-ISDN30"): 1,
            ("price.gross_unreachable", "DETAILED-INVOICE-FULL"): 2,
            ("price.gross_unreachable", "DETAILED-INVOICE-PARTIAL"): 1,
            ("price.gross_unreachable", "EXTRA-SOCKET-ISDN"): 1,
            ("price.gross_unreachable", "SMARTPHONE-SETUP"): 1,
            ("price.gross_unreachable", "TABLET-SETUP"): 1,
            ("tiers.overlap", "NUMBER-CHANGE"): 1,
            ("price.vat_on_untaxed", "REPAIR-R2"): 2,
            ("price.vat_on_untaxed", "REPAIR-PRIVILEGE"): 2,
        }
    )
