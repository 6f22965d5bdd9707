"""Service assurance: business calendars, trouble tickets, SLA clocks, compensation, interventions, outages.

Pure like the rest of the core: instants are timezone-aware ``datetime`` values passed in, never read from a
clock. See docs/algorithms/sla-clock.md and docs/compensation.md.
"""
