"""Stores: git for configurations, SQLite for runs, findings and metrics."""
