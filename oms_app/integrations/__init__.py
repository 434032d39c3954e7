"""Adapters to outside services (Stripe), each implementing an interface an area declares."""
