"""The functional core: pure domain logic. No I/O, no clock, no randomness; time is always a parameter."""
