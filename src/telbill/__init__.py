"""telbill — telecom business-support system: catalog, rating, billing, receivables, service assurance."""

__version__ = "0.1.0"
