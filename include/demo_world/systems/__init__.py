"""The distributor's other systems, each served the way the real one is.

`shop` (Shopify-like REST), `carrier` (tracking events as JSON lines), `wms` (3PL CSV files in an
inbox) and `bank` (nightly statement CSVs) read the simulation's tables from the same store the
demo Odoo serves, so every system tells its own version of one business.
"""
