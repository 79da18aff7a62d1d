"""Backcheck's core: registry, data-source adapters, facts and reports. Knows no Qt."""
