"""Rating: usage records → amounts (docs/algorithms/rating.md). Pure: the engines in ``telbill.adapters.engines``
execute the lookup tables of ``tables.py`` with the semantics of ``tariff.py`` and ``allowances.py``."""
