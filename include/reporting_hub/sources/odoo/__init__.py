"""Odoo: the JSON-RPC and JSON-2 clients behind one interface, version field maps, paging.

`client` defines the interface and errors; `jsonrpc` (odoorpc) and `json2`
(odoo-client-lib) implement it; `connect` picks one and wraps it in retries; `versions`
maps the catalog's Odoo 19 field names to older servers; `extract` pages a model.
"""
