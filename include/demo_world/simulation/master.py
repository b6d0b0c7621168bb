"""Master data: currencies, companies, users, partners, products, warehouses, accounting setup.

Created at the start of the timeline (products and customers through the first weeks), so every
later document can refer to them. Side tables the business needs but Odoo does not show (where a
product is stocked, how a customer pays) live on `Master`, not in the rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import names
from .world import ADMIN, ODOOBOT, World

US, EU = 1, 2  # company ids
USD, EUR = 1, 2  # currency ids
TAX_RATE = {US: 0.0, EU: 0.21}  # US sales tax exempt (resale), NL VAT
PAYMENT_TERMS = {"immediate": (1, 0), "30 days": (2, 30), "45 days": (3, 45)}  # id, days
WH_CODES = ("WH1", "WH2", "3PL")
#: Sales and bank journal codes per company: they prefix invoice and payment names, which the
#: other systems quote, so they differ between the companies to keep those names unique.
JOURNAL_CODES = {US: {"sale": "INV", "bank": "BNK1"}, EU: {"sale": "EINV", "bank": "EBNK"}}
STOCK_ODDS = {"WH1": 0.85, "WH2": 0.6, "3PL": 0.35}


@dataclass
class Warehouse:
    id: int
    code: str
    company: int
    stock: int  # lot_stock_id
    shelves: list[int]
    types: dict[str, int] = field(default_factory=dict)  # picking type code -> id


@dataclass
class Master:
    """Handles on the master data that the simulation of the business keeps using."""

    warehouses: dict[str, Warehouse] = field(default_factory=dict)
    locations: dict[str, int] = field(default_factory=dict)  # key -> stock.location id
    homes: dict[tuple[int, str], int] = field(default_factory=dict)  # (product, wh) -> location
    goods: list[dict[str, Any]] = field(default_factory=list)  # sellable storable products
    online: list[dict[str, Any]] = field(default_factory=list)  # sold in the web shop
    customers: list[int] = field(default_factory=list)  # B2B commercial partners
    payer: dict[int, str] = field(default_factory=dict)  # customer -> prompt|late|partial
    vendors: list[int] = field(default_factory=list)
    lead_days: dict[int, int] = field(default_factory=dict)  # vendor -> lead time
    journals: dict[tuple[int, str], int] = field(default_factory=dict)  # (company, type) -> id
    accounts: dict[tuple[int, str], int] = field(default_factory=dict)
    taxes: dict[int, int] = field(default_factory=dict)  # company -> sale tax id
    teams: dict[int, int] = field(default_factory=dict)  # company -> crm.team id


def build_master(w: World) -> Master:
    """The setup transactions, then partners and products over the first weeks."""
    m = Master()
    t = w.start
    _currencies_countries_units(w, t)
    _categories(w, t)
    _companies_and_users(w, t)
    _accounting(w, m, t)
    _locations_and_warehouses(w, m, t + dt.timedelta(minutes=5))
    _partners(w, m)
    _products(w, m)
    return m


def _currencies_countries_units(w: World, t: dt.datetime) -> None:
    for name, symbol, full, iso, rate, active in [
        ("USD", "$", "United States dollar", 840, 1.0, True),
        ("EUR", "€", "Euro", 978, 0.9214, True),
        ("GBP", "£", "Pound sterling", 826, 0.7863, False),
    ]:
        w.add(
            "res.currency",
            t,
            ODOOBOT,
            name=name,
            display_name=name,
            symbol=symbol,
            full_name=full,
            iso_numeric=iso,
            rate=rate,
            inverse_rate=round(1 / rate, 6),
            rounding=0.01,
            decimal_places=2,
            active=active,
            date=w.start.strftime("%Y-%m-%d"),
            position="before" if name != "EUR" else "after",
            currency_unit_label={"USD": "Dollars", "EUR": "Euros"}.get(name, "Pounds"),
            currency_subunit_label="Cents" if name != "GBP" else "Pence",
        )
    for name, code, cur in [
        ("United States", "US", USD),
        ("Netherlands", "NL", EUR),
        ("Belgium", "BE", EUR),
        ("Germany", "DE", EUR),
        ("France", "FR", EUR),
        ("United Kingdom", "GB", 3),
        ("Canada", "CA", False),
    ]:
        w.add("res.country", t, ODOOBOT, name=name, display_name=name, code=code, currency_id=cur)
    for seq, (name, factor) in enumerate(
        [("Units", 1.0), ("Dozens", 12.0), ("kg", 1.0), ("Hours", 1.0), ("Days", 8.0)]
    ):
        w.add(
            "uom.uom",
            t,
            ODOOBOT,
            name=name,
            display_name=name,
            sequence=seq,
            relative_factor=factor,
        )


def _categories(w: World, t: dt.datetime) -> None:
    tree = [
        ("All", None),
        ("Hardware", 1),
        ("Fasteners", 2),
        ("Tools", 2),
        ("Storage", 1),
        ("Office", 1),
        ("Packaging", 1),
        ("Services", 1),
    ]
    paths: dict[int, tuple[str, str]] = {}
    for name, parent in tree:
        rec_id = w.next_ids["product.category"]
        pname, ppath = paths.get(parent, ("", ""))
        full = f"{pname} / {name}" if pname else name
        paths[rec_id] = (full, f"{ppath}{rec_id}/")
        w.add(
            "product.category",
            t,
            name=name,
            complete_name=full,
            display_name=full,
            parent_id=parent or False,
            parent_path=paths[rec_id][1],
        )


def _companies_and_users(w: World, t: dt.datetime) -> None:
    companies = [
        ("Harbor & Pine Supply Co.", 1, USD, "Chicago", "60607", 1, "US47-1234567"),
        ("Harbor & Pine Europe B.V.", 2, EUR, "Rotterdam", "3011 AA", 2, "NL859412736B01"),
    ]
    partner_ids = {US: 1, EU: 4}
    for name, seq, cur, city, zip_, country, vat in companies:
        cid = w.next_ids["res.company"]
        w.add(
            "res.company",
            t,
            ODOOBOT,
            name=name,
            display_name=name,
            sequence=seq,
            partner_id=partner_ids[cid],
            currency_id=cur,
            city=city,
            zip=zip_,
            country_id=country,
            vat=vat,
            email=f"info@{'harborpine.example' if cid == US else 'harborpine-eu.example'}",
            phone="+1 312 555 0100" if cid == US else "+31 10 555 0100",
            street="1200 W Harrison St" if cid == US else "Wilhelminakade 91",
        )
    people = [  # (name, company, is_company, active, vat); partner ids 1..7 as created
        (companies[0][0], False, True, True, companies[0][6]),
        ("OdooBot", False, False, False, False),
        ("Mitchell Admin", False, False, True, False),
        (companies[1][0], False, True, True, companies[1][6]),
        ("Marc Demo", US, False, True, False),
        ("Joel Willis", US, False, True, False),
        ("FlexLogix Inc.", False, True, True, "US75-3300917"),
    ]
    for name, company, is_company, active, vat in people:
        add_partner(
            w,
            t,
            name,
            company_id=company,
            is_company=is_company,
            active=active,
            uid=ODOOBOT,
            vat=vat,
        )
    users = [  # (login, partner, company_ids, active); ids 1..6 as in a fresh Odoo
        ("__system__", 2, [US, EU], False),
        ("admin", 3, [US, EU], True),
        ("public", 2, [US], False),
        ("portaltemplate", 2, [US], False),
        ("demo", 5, [US], True),
        ("portal", 6, [US], True),
    ]
    for login, pid, company_ids, active in users:
        name = w.get("res.partner", pid)["name"]
        w.add(
            "res.users",
            t,
            ODOOBOT,
            login=login,
            name=name,
            display_name=name,
            partner_id=pid,
            company_id=US,
            company_ids=company_ids,
            active=active,
            share=login == "portal",
            lang="en_US",
            tz="Europe/Brussels" if login == "admin" else "America/Chicago",
        )


def _accounting(w: World, m: Master, t: dt.datetime) -> None:
    """Journals, accounts, taxes, payment terms, payment methods and sales teams per company."""
    for name, (tid, _days) in PAYMENT_TERMS.items():
        w.add(
            "account.payment.term",
            t,
            ODOOBOT,
            id=tid,
            name=name.capitalize() if name == "immediate" else name,
            display_name=name.capitalize() if name == "immediate" else name,
            sequence=tid,
            company_id=False,
        )
    for company, cur in ((US, USD), (EU, EUR)):
        for seq, (jtype, name, code) in enumerate(
            [
                ("sale", "Sales", JOURNAL_CODES[company]["sale"]),
                ("purchase", "Purchases", "BILL"),
                ("bank", "Bank", JOURNAL_CODES[company]["bank"]),
            ]
        ):
            jid = w.add(
                "account.journal",
                t,
                ODOOBOT,
                name=name,
                display_name=name,
                code=code,
                type=jtype,
                sequence=seq,
                company_id=company,
                currency_id=cur,
            )
            m.journals[company, jtype] = jid
        w.add(
            "account.payment.method.line",
            t,
            ODOOBOT,
            name="Manual Payment",
            display_name="Manual Payment (Bank)",
            sequence=company,
            journal_id=m.journals[company, "bank"],
            company_id=company,
        )
        for code, name, atype in [
            ("121000", "Account Receivable", "asset_receivable"),
            ("101401", "Bank", "asset_cash"),
            ("101402", "Outstanding Receipts", "asset_current"),
            ("400000", "Product Sales", "income"),
            ("251000", "Tax Received", "liability_current"),
        ]:
            label = f"{code} {name}"
            m.accounts[company, atype] = w.add(
                "account.account",
                t,
                ODOOBOT,
                name=name,
                display_name=label,
                code=code,
                account_type=atype,
                reconcile=atype in ("asset_receivable", "asset_current"),
                company_ids=[company],
            )
        rate = TAX_RATE[company]
        tax_name = f"{rate * 100:g}%"
        m.taxes[company] = w.add(
            "account.tax",
            t,
            ODOOBOT,
            name=tax_name,
            display_name=tax_name,
            amount=rate * 100,
            type_tax_use="sale",
            sequence=1,
            company_id=company,
        )
        name = "Sales" if company == US else "Sales Europe"
        m.teams[company] = w.add(
            "crm.team",
            t,
            ODOOBOT,
            name=name,
            display_name=name,
            sequence=company,
            company_id=company,
        )


def add_partner(
    w: World, t: dt.datetime, name: str, parent: int | None = None, uid: int = ADMIN, **values: Any
) -> int:
    """A res.partner as Odoo stores it: commercial fields (vat) follow the parent company."""
    parent_row = w.get("res.partner", parent) if parent else None
    display = f"{parent_row['name']}, {name}" if parent_row else name
    rec_id = w.new_id("res.partner")
    values.setdefault("is_company", False)
    if parent_row:
        values["vat"] = parent_row["vat"]
    return w.add(
        "res.partner",
        t,
        uid,
        id=rec_id,
        name=name,
        display_name=display,
        complete_name=display,
        parent_id=parent or False,
        commercial_partner_id=parent_row["commercial_partner_id"] if parent_row else rec_id,
        company_type="company" if values["is_company"] else "person",
        type=values.pop("type", "contact"),
        lang="en_US",
        customer_rank=values.pop("customer_rank", 0),
        supplier_rank=values.pop("supplier_rank", 0),
        **values,
    )


_CITIES = [
    ("Chicago", "60601", 1),
    ("Milwaukee", "53202", 1),
    ("Detroit", "48201", 1),
    ("Toronto", "M5H 2N2", 7),
    ("Antwerp", "2000", 3),
    ("Utrecht", "3511", 2),
    ("Hamburg", "20095", 4),
    ("Lyon", "69001", 5),
    ("Leeds", "LS1 4DY", 6),
]


def _partners(w: World, m: Master) -> None:
    """B2B customers (companies with contacts) and vendors, created through the first weeks."""
    rng, n = w.rng, w.scale.customers + w.scale.vendors
    times = w.moments(w.start + dt.timedelta(hours=2), w.start + dt.timedelta(hours=10), n)
    for i in range(n):
        vendor = i >= w.scale.customers
        name = f"{rng.choice(names.SURNAMES)} {rng.choice(names.TRADES)}"
        city, zip_, country = rng.choice(_CITIES)
        slug = name.lower().replace(" ", "-").replace("&", "and").replace("--", "-")
        domain = f"{slug}-{i + 1}.example"
        pid = add_partner(
            w,
            times[i],
            name,
            is_company=True,
            email=f"orders@{domain}",
            phone=f"+1 555 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
            city=city,
            zip=zip_,
            country_id=country,
            street=f"{rng.randrange(1, 999)} Main St",
            vat=f"{names.COUNTRY_CODES[country]}{100_000_000 + i * 7919}",
            ref=f"{'V' if vendor else 'C'}{i + 1:05d}",
            customer_rank=0 if vendor else rng.randrange(1, 40),
            supplier_rank=rng.randrange(1, 20) if vendor else 0,
            company_id=False,
        )
        if vendor:
            m.vendors.append(pid)
            m.lead_days[pid] = rng.choice([2, 3, 5, 7, 10])
        else:
            m.customers.append(pid)
            m.payer[pid] = rng.choices(["prompt", "late", "partial"], [70, 20, 10])[0]
        for k in range(rng.choice([0, 1, 1, 2])):
            first = rng.choice(names.FIRST_NAMES)
            add_partner(
                w,
                times[i],
                f"{first} {rng.choice(names.SURNAMES)}",
                parent=pid,
                email=f"{first.lower()}.{k}@{domain}",
                type=rng.choice(["contact", "invoice", "delivery"]),
                city=city,
                zip=zip_,
                country_id=country,
                company_id=False,
            )


def _products(w: World, m: Master) -> None:
    """Templates and variants (a few with two), SKU-nnnnn codes, EAN-13 barcodes."""
    rng, target = w.rng, w.scale.products
    batches = w.moments(w.start, w.start + dt.timedelta(hours=1), max(2, target // 25))
    sku = 0
    while sku < target:
        t = batches[sku * len(batches) // target]
        service = rng.random() < 0.03
        words = (rng.choice(names.ADJECTIVES), rng.choice(names.MATERIALS), rng.choice(names.NOUNS))
        name = " ".join(words)
        price = round(rng.uniform(2, 400), 2)
        variants = [None] if service or rng.random() > 0.1 else rng.sample(names.COLORS, 2)
        variants = variants[: target - sku]
        tmpl_values = dict(
            name=name,
            type="service" if service else "consu",
            is_storable=not service,
            categ_id=8 if service else rng.choice([3, 4, 5, 6, 7]),
            uom_id=4 if service else 1,
            list_price=price,
            standard_price=round(price * rng.uniform(0.4, 0.7), 2),
            sale_ok=True,
            purchase_ok=not service,
            active=True,
            company_id=False,
            invoice_policy="order" if service else "delivery",
            purchase_method="receive",
            tracking="none",
            currency_id=USD,
            sequence=1,
            is_favorite=False,
            weight=0.0 if service else round(rng.uniform(0.05, 30), 2),
            volume=0.0 if service else round(rng.uniform(0.001, 0.5), 3),
        )
        codes = [f"SKU-{sku + k + 1:05d}" for k in range(len(variants))]
        single = len(variants) == 1
        tmpl = w.add(
            "product.template",
            t,
            display_name=f"[{codes[0]}] {name}" if single else name,
            default_code=codes[0] if single else False,
            barcode=False,
            product_variant_count=len(variants),
            description_sale=f"{name}, sold per unit.",
            **tmpl_values,
        )
        for code, color in zip(codes, variants, strict=True):
            sku += 1
            display = f"[{code}] {name}" + (f" ({color})" if color else "")
            barcode = False if service else ean13(2000000 + sku)
            pid = w.add(
                "product.product",
                t,
                display_name=display,
                default_code=code,
                code=code,
                partner_ref=display,
                barcode=barcode,
                product_tmpl_id=tmpl,
                lst_price=price,
                **tmpl_values,
            )
            if not service:
                _stock_homes(w, m, w.get("product.product", pid))
        if single:
            w.get("product.template", tmpl)["barcode"] = barcode


def _stock_homes(w: World, m: Master, product: dict[str, Any]) -> None:
    """Where a product is stocked: one internal location per warehouse that carries it."""
    rng = w.rng
    for code in WH_CODES:
        if rng.random() < STOCK_ODDS[code]:
            wh = m.warehouses[code]
            m.homes[product["id"], code] = rng.choice(wh.shelves or [wh.stock])
    if not any((product["id"], c) in m.homes for c in WH_CODES):
        m.homes[product["id"], "WH1"] = rng.choice(
            m.warehouses["WH1"].shelves or [m.warehouses["WH1"].stock]
        )
    m.goods.append(product)
    if rng.random() < 0.7:
        m.online.append(product)


def _locations_and_warehouses(w: World, m: Master, t: dt.datetime) -> None:
    """Odoo 19's location tree: top-level virtual locations, one view per warehouse."""
    for name, usage in [
        ("Vendors", "supplier"),
        ("Customers", "customer"),
        ("Inter-company transit", "transit"),
        ("Virtual Locations", "view"),
    ]:
        _add_location(w, m, t, name, usage, None, False, None)
    for company in (US, EU):
        for name in ("Inventory adjustment", "Scrap"):
            _add_location(
                w, m, t, name, "inventory", "Virtual Locations", company, None, f"{name}/{company}"
            )
    warehouses = [
        ("WH1", "Chicago DC", US, 1, w.scale.shelves),
        ("WH2", "Rotterdam DC", EU, 4, w.scale.shelves),
        ("3PL", "FlexLogix 3PL Dallas", US, 7, 0),
    ]
    for seq, (code, name, company, partner, shelves) in enumerate(warehouses, start=1):
        wh = w.next_ids["stock.warehouse"]
        view = _add_location(w, m, t, code, "view", None, company, wh)
        stock = _add_location(w, m, t, "Stock", "internal", code, company, wh)
        steps = [
            _add_location(w, m, t, n, "internal", code, company, wh, active=False)
            for n in ("Input", "Output", "Packing Zone")
        ]
        shelf_ids = [
            _add_location(w, m, t, f"Shelf {k}", "internal", f"{code}/Stock", company, wh)
            for k in range(1, shelves + 1)
        ]
        w.add(
            "stock.warehouse",
            t,
            name=name,
            display_name=name,
            code=code,
            company_id=company,
            partner_id=partner,
            view_location_id=view,
            lot_stock_id=stock,
            wh_input_stock_loc_id=steps[0],
            wh_output_stock_loc_id=steps[1],
            wh_pack_stock_loc_id=steps[2],
            reception_steps="one_step",
            delivery_steps="ship_only",
            sequence=seq,
        )
        m.warehouses[code] = Warehouse(wh, code, company, stock, shelf_ids)
        _picking_types(w, m, t, m.warehouses[code], name)


def _picking_types(w: World, m: Master, t: dt.datetime, wh: Warehouse, wh_name: str) -> None:
    for seq, (code, label, prefix, src, dest) in enumerate(
        [
            ("incoming", "Receipts", "IN", m.locations["Vendors"], wh.stock),
            ("outgoing", "Delivery Orders", "OUT", wh.stock, m.locations["Customers"]),
            ("internal", "Internal Transfers", "INT", wh.stock, wh.stock),
        ]
    ):
        wh.types[code] = w.add(
            "stock.picking.type",
            t,
            ODOOBOT,
            name=label,
            display_name=f"{wh_name}: {label}",
            code=code,
            sequence_code=prefix,
            sequence=seq,
            is_favorite=False,
            warehouse_id=wh.id,
            company_id=wh.company,
            default_location_src_id=src,
            default_location_dest_id=dest,
        )


def _add_location(
    w: World,
    m: Master,
    t: dt.datetime,
    name: str,
    usage: str,
    parent: str | None,
    company: int | bool,
    warehouse: int | None,
    key: str | None = None,
    active: bool = True,
) -> int:
    parent_id = m.locations[parent] if parent else False
    prow = w.get("stock.location", parent_id) if parent_id else None
    full = f"{prow['complete_name']}/{name}" if prow else name
    rec_id = w.new_id("stock.location")
    w.add(
        "stock.location",
        t,
        id=rec_id,
        name=name,
        complete_name=full,
        display_name=full,
        usage=usage,
        location_id=parent_id,
        active=active,
        parent_path=f"{prow['parent_path'] if prow else ''}{rec_id}/",
        company_id=company,
        warehouse_id=warehouse or False,
        replenish_location=name == "Stock",
        cyclic_inventory_frequency=0,
        next_inventory_date="2026-12-31" if usage == "internal" else False,
    )
    m.locations[key or full] = rec_id
    return rec_id


def ean13(number: int) -> str:
    digits = f"{number:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)
