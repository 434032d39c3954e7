"""Budgets per cost centre x expense account x month, their adjustments, alerts and forecasts."""
