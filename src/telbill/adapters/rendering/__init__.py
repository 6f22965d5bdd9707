"""Rendering adapters: documents as UBL (Peppol BIS Billing 3.0), PDF and letters."""
