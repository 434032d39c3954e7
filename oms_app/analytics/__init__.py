"""Analytics: figures for the executive dashboard, computed in SQL over the business tables."""
