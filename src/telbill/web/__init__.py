"""What the two web edges share and how they are served together.

``status.py`` is the ONE table from what went wrong to an HTTP status, used by the API's problem details and
the portal's error pages alike; ``server.py`` puts the API (``telbill.api``) and the portal (``telbill.portal``)
on one ASGI application. The edges stay independent of each other (import-linter): both import this package's
``status``; only ``server`` imports both.
"""
