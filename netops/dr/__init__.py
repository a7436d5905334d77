"""Disaster recovery: drills that wipe, rebuild and measure a campus, and their evidence."""
