"""Configuration backup: fetch, guard, normalise and redact, store in git, record runs, restore."""
