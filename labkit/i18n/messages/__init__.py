"""The catalog's areas: one module per area, each with a ``MESSAGES`` dict.

See :mod:`labkit.i18n`.
"""
