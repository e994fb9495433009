"""Bulk scoring: many inputs → one row each, incrementally, resumably, on local processes or Ray."""
