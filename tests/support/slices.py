"""Stream sets the tests sync together (a stream's gate needs its references published)."""

INVENTORY = [
    "odoo.product_template",
    "odoo.product_product",
    "odoo.stock_location",
    "odoo.stock_warehouse",
    "odoo.stock_quant",
]
