"""Data shipped with Backcheck: registry snapshot, schema, icons."""
