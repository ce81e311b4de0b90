"""The catalog's areas: one module per area, each with a ``MESSAGES`` dict (see :mod:`labkit.i18n`)."""
