"""Rating a set of records: each placed and classified on its own, then the allowances shared in time order.

``rate_rows`` is what the reference engine runs on a whole input; ``rate_placed`` is what the bill run runs
on the stored records of one subscription's closed billing period. Both return one result per record, in
the order given: a ``RatedRecord`` or a ``RejectedRecord`` with its reason — nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from telbill.core.rating.allowances import included_units
from telbill.core.rating.records import CdrRow, Placed, Rating, RejectedRecord, Subscriber
from telbill.core.rating.tables import RatingTables
from telbill.core.rating.tariff import Classified, classify, place, rated


def rate_placed(tables: RatingTables, placed: Sequence[Placed]) -> list[Rating]:
    outcomes = [classify(tables, p) for p in placed]
    classified = [o for o in outcomes if isinstance(o, Classified)]
    included = included_units(tables, classified)
    results = iter([rated(c, included[i]) for i, c in enumerate(classified)])
    return [o if isinstance(o, RejectedRecord) else next(results) for o in outcomes]


def rate_rows(tables: RatingTables, subscribers: Mapping[str, Subscriber], rows: Sequence[CdrRow]) -> list[Rating]:
    zone = tables.timezone
    outcomes = [place(row, subscribers, zone) for row in rows]
    placed = [o for o in outcomes if isinstance(o, Placed)]
    results = iter(rate_placed(tables, placed))
    return [o if isinstance(o, RejectedRecord) else next(results) for o in outcomes]
