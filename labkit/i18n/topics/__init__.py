"""Per-topic message catalogs (one module per topic, each with a ``MESSAGES`` dict)."""
