"""VAT per EN 16931: categories, treatments, price derivation and invoice totals per category."""
