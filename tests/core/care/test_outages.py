"""Outage notices: who they concern, when, and which tickets they link."""

from __future__ import annotations

import pytest

from telbill.core.care.outages import Outage, concerning
from telbill.core.errors import TelbillError
from tests.core.care.builders import at

CUT = Outage("O-1", ("1000", "1050"), at("2026-03-09 08:00"), at("2026-03-09 14:00"), ("classic", "isdn2"), "cable cut")
OPEN = Outage("O-2", ("2000",), at("2026-03-10 09:00"))


def test_an_outage_concerns_its_area_and_services_while_it_lasts() -> None:
    assert concerning((CUT, OPEN), "1000", ("LINE-CLASSIC", "classic"), at("2026-03-09 08:00")) == (CUT,)
    assert concerning((CUT, OPEN), "1000", ("LINE-CLASSIC", "classic"), at("2026-03-09 14:00")) == ()  # ended
    assert concerning((CUT, OPEN), "1000", ("LINE-ISDN30", "isdn30"), at("2026-03-09 10:00")) == ()  # other service
    assert concerning((CUT, OPEN), "3000", ("classic",), at("2026-03-09 10:00")) == ()  # other area
    assert concerning((CUT, OPEN), "2000", ("CLIC-BUREAU",), at("2026-03-30 10:00")) == (OPEN,)  # every service, open


def test_ending_an_outage() -> None:
    ended = OPEN.ended(at("2026-03-10 18:00"))
    assert not ended.during(at("2026-03-10 18:00"))
    with pytest.raises(TelbillError) as twice:
        ended.ended(at("2026-03-10 19:00"))
    assert twice.value.code == "outage.ended"


@pytest.mark.parametrize(
    ("area", "end", "code"),
    [((), None, "outage.area"), (("1000",), "2026-03-09 07:00", "outage.order")],
)
def test_bad_outages_are_coded_errors(area: tuple[str, ...], end: str | None, code: str) -> None:
    with pytest.raises(TelbillError) as error:
        Outage("O-3", area, at("2026-03-09 08:00"), at(end) if end else None)
    assert error.value.code == code
