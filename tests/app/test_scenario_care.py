"""Scenario files with service-assurance events: what the format refuses, and errors during the replay."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from telbill.app.scenario_schema import Scenario
from telbill.app.scenarios import run_scenario
from telbill.core.errors import TelbillError
from tests.app.builders import Operator

BASE: dict[str, Any] = {
    "name": "care",
    "catalog": "belgacom-fees-indemnities",
    "customer": {
        "id": "ACC-1",
        "name": "An Peeters",
        "segment": "residential",
        "language": "fr",
        "street": "Meir 1",
        "postcode": "2000",
        "city": "Antwerpen",
    },
    "subscriptions": [{"id": "SUB-1", "plan": "LINE-CLASSIC"}],
}


def scenario(*events: dict[str, Any]) -> Scenario:
    return Scenario.model_validate({**BASE, "events": list(events)})


@pytest.mark.parametrize(
    ("event", "words"),
    [
        ({"on": "2026-03-09", "ticket": "T-1", "event": "repaired"}, "needs the ticket and the time"),
        ({"on": "2026-03-09", "at": "10:00", "ticket": "T-1", "event": "registered"}, "registered on a subscription"),
        ({"on": "2026-03-09", "at": "10:00", "ticket": "T-1", "event": "appointment_proposed"}, "gives the slot"),
        (
            {"on": "2026-03-09", "do": "activate", "subscription": "SUB-1", "due": "2026-03-12"},
            "due is the agreed date",
        ),
        (
            {"on": "2026-03-09", "intervention": {"id": "I", "equipment": "terminal_sold", "fault": "customer"}},
            "reported on a subscription",
        ),
        ({"on": "2026-03-09", "at": "10:00", "ticket": "T-1", "event": "exploded"}, "Input should be"),
    ],
)
def test_bad_care_events_are_refused_by_the_format(event: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError) as error:
        scenario(event)
    assert words in str(error.value)


def test_a_repair_before_its_registration_stops_the_replay_at_its_event() -> None:
    bad = scenario(
        {"on": "2026-03-01", "do": "activate", "subscription": "SUB-1"},
        {"on": "2026-03-09", "at": "10:00", "ticket": "T-1", "event": "registered", "subscription": "SUB-1"},
        {"on": "2026-03-09", "at": "09:00", "ticket": "T-1", "event": "repaired"},
    )
    with pytest.raises(TelbillError) as error:
        run_scenario(Operator().deps(), bad)
    assert error.value.code == "ticket.before_registration" and "events[2] (2026-03-09)" in error.value.message


def test_a_daylight_saving_gap_in_a_scenario_is_refused() -> None:
    bad = scenario(
        {"on": "2026-03-01", "do": "activate", "subscription": "SUB-1"},
        {"on": "2026-03-29", "at": "02:30", "ticket": "T-1", "event": "registered", "subscription": "SUB-1"},
    )
    with pytest.raises(TelbillError) as error:
        run_scenario(Operator().deps(), bad)
    assert error.value.code == "time.nonexistent"
