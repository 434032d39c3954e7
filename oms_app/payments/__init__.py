"""Payments: per-order payments with their own lifecycle, providers (Stripe, offline), invoices
for credit terms, and the verified Stripe webhook inbox."""
