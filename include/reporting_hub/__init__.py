"""odoo-reporting-hub: the governed path from Odoo and its neighbours into one warehouse."""

__version__ = "0.1.0"
