"""Backcheck's Qt window: a thin client of backcheck.core."""
