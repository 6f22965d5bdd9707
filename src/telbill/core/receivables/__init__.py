"""Receivables: the account ledger, payment allocation, bank statements and their matching, dunning."""
