"""Bank files: CODA and camt.053 statements in, SEPA direct debit (pain.008) out."""
