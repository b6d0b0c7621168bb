"""Generates the demo world's master data and stock into a fresh SQLite store, in bulk.

Deterministic per (seed, scale): one `random.Random(seed)` drives every choice and timestamps come
from a fixed timeline, never the wall clock. A store is reused when its file already holds the same
seed, scale and GENERATION_VERSION; bump the version whenever the generated content changes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import Registry, load_registry
from .store import AUTH_TABLE, META_TABLE, Store, create_schema, insert_rows

GENERATION_VERSION = 1
DEFAULT_SEED = 7301
EPOCH = dt.datetime(2026, 1, 1, 8, 0, 0)  # the company is set up
AS_OF = dt.datetime(2026, 3, 31, 23, 59, 59)  # the generated history ends
ODOOBOT, ADMIN, DEMO, PORTAL = 1, 2, 5, 6


@dataclass(frozen=True)
class Scale:
    products: int
    customers: int
    vendors: int
    shelves: int  # sublocations under each own warehouse's Stock
    stock_txns: int  # later transactions touching quants


SCALES = {
    "tiny": Scale(products=30, customers=8, vendors=3, shelves=2, stock_txns=12),
    "demo": Scale(products=200, customers=60, vendors=15, shelves=4, stock_txns=60),
    "bench": Scale(products=50_000, customers=5_000, vendors=300, shelves=40, stock_txns=2_000),
}


def store_path(state_dir: Path, seed: int, scale: str) -> Path:
    return Path(state_dir) / f"{seed}-{scale}.sqlite"


def api_key_for(seed: int) -> str:
    """The admin's API key: stable per seed, so a reused store keeps working credentials."""
    return hashlib.sha256(f"odoo-reporting-hub demo world {seed}".encode()).hexdigest()[:40]


def ensure_world(state_dir: Path, seed: int = DEFAULT_SEED, scale: str = "demo") -> Path:
    """Path of the store for (seed, scale), generating it unless a current one exists."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r} (known: {', '.join(SCALES)})")
    path = store_path(state_dir, seed, scale)
    if path.exists() and _is_current(path, seed, scale):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    generate(tmp, seed, scale)
    os.replace(tmp, path)  # readers never see a half-written store
    return path


def _is_current(path: Path, seed: int, scale: str) -> bool:
    store = Store(path)
    try:
        meta = store.meta()
    except sqlite3.DatabaseError:
        return False
    finally:
        store.close()
    want = {"version": GENERATION_VERSION, "seed": seed, "scale": scale}
    return all(meta.get(k) == v for k, v in want.items())


def generate(path: Path, seed: int, scale: str, registry: Registry | None = None) -> None:
    """Write a complete world into a new SQLite file at `path`."""
    registry = registry or load_registry()
    world = World(random.Random(seed), SCALES[scale])
    world.build()
    conn = sqlite3.connect(path)
    try:
        with conn:
            create_schema(conn, registry)
            for model, rows in world.rows.items():
                insert_rows(conn, registry[model], rows)
            meta = {
                "version": GENERATION_VERSION,
                "seed": seed,
                "scale": scale,
                "as_of": AS_OF.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            conn.executemany(
                f"INSERT INTO {META_TABLE} VALUES (?, ?)",
                [(k, json.dumps(v)) for k, v in meta.items()],
            )
            conn.executemany(f"INSERT INTO {AUTH_TABLE} VALUES (?, ?, ?, ?)", world.auth(seed))
        conn.execute("ANALYZE")
    finally:
        conn.close()


def _ts(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class World:
    """Builds rows per model in memory (ids assigned in creation order, like sequences)."""

    def __init__(self, rng: random.Random, scale: Scale) -> None:
        self.rng = rng
        self.scale = scale
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.by_id: dict[tuple[str, int], dict[str, Any]] = {}

    # -- plumbing ----------------------------------------------------------------------

    def add(self, model: str, at: dt.datetime, uid: int = ADMIN, **values: Any) -> int:
        """Create a record as one transaction at `at` would (create = write, same user)."""
        rec_id = len(self.rows[model]) + 1
        row = {
            "id": rec_id,
            "active": True,
            "create_uid": uid,
            "write_uid": uid,
            "create_date": _ts(at),
            "write_date": _ts(at),
            **values,
        }
        self.rows[model].append(row)
        self.by_id[model, rec_id] = row
        return rec_id

    def touch(self, model: str, rec_id: int, at: dt.datetime, **values: Any) -> None:
        """A later write: new values and write_date = that transaction's start."""
        row = self.by_id[model, rec_id]
        row.update(values, write_date=_ts(at), write_uid=ADMIN)

    def moments(self, start: dt.datetime, end: dt.datetime, count: int) -> list[dt.datetime]:
        """`count` sorted transaction start times in [start, end), whole seconds."""
        span = int((end - start).total_seconds())
        return sorted(start + dt.timedelta(seconds=self.rng.randrange(span)) for _ in range(count))

    def auth(self, seed: int) -> list[tuple[int, str, str | None, str]]:
        disabled = "!disabled"  # inactive users: login fails whatever the password
        return [
            (ODOOBOT, disabled, None, json.dumps([])),
            (ADMIN, "admin", api_key_for(seed), json.dumps(["admin"])),
            (3, disabled, None, json.dumps([])),
            (4, disabled, None, json.dumps(["portal"])),
            (DEMO, "demo", None, json.dumps(["internal", "Inventory/User", "Role / User"])),
            (PORTAL, "portal", None, json.dumps(["portal"])),
        ]

    # -- the world -----------------------------------------------------------------------

    def build(self) -> None:
        self.base()
        self.partners()
        self.products()
        self.locations_and_warehouses()
        self.quants()
        self.product_quantities()

    def base(self) -> None:
        """Currencies, countries, units, categories, companies, users: the setup transaction."""
        t = EPOCH
        for name, symbol, full, iso, rate, active in [
            ("USD", "$", "United States dollar", 840, 1.0, True),
            ("EUR", "€", "Euro", 978, 0.9214, True),
            ("GBP", "£", "Pound sterling", 826, 0.7863, False),
        ]:
            self.add(
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
                date="2026-01-01",
                position="before" if name != "EUR" else "after",
                currency_unit_label={"USD": "Dollars", "EUR": "Euros"}.get(name, "Pounds"),
                currency_subunit_label="Cents" if name != "GBP" else "Pence",
            )
        for name, code, cur in [
            ("United States", "US", 1),
            ("Netherlands", "NL", 2),
            ("Belgium", "BE", 2),
            ("Germany", "DE", 2),
            ("France", "FR", 2),
            ("United Kingdom", "GB", 3),
            ("Canada", "CA", False),
        ]:
            self.add(
                "res.country", t, ODOOBOT, name=name, display_name=name, code=code, currency_id=cur
            )
        for seq, (name, factor) in enumerate(
            [("Units", 1.0), ("Dozens", 12.0), ("kg", 1.0), ("Hours", 1.0), ("Days", 8.0)]
        ):
            self.add(
                "uom.uom",
                t,
                ODOOBOT,
                name=name,
                display_name=name,
                sequence=seq,
                relative_factor=factor,
            )
        self.categories(t)
        self.companies_and_users(t)

    def categories(self, t: dt.datetime) -> None:
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
            rec_id = len(self.rows["product.category"]) + 1
            pname, ppath = paths.get(parent, ("", ""))
            full = f"{pname} / {name}" if pname else name
            paths[rec_id] = (full, f"{ppath}{rec_id}/")
            self.add(
                "product.category",
                t,
                name=name,
                complete_name=full,
                display_name=full,
                parent_id=parent or False,
                parent_path=paths[rec_id][1],
            )

    def companies_and_users(self, t: dt.datetime) -> None:
        companies = [
            ("Harbor & Pine Supply Co.", 1, 1, "Chicago", "60607", "US", "US47-1234567"),
            ("Harbor & Pine Europe B.V.", 2, 2, "Rotterdam", "3011 AA", "NL", "NL859412736B01"),
        ]
        partner_ids = {1: 1, 2: 4}
        for name, seq, cur, city, zip_, country, vat in companies:
            cid = len(self.rows["res.company"]) + 1
            self.add(
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
                country_id=1 if country == "US" else 2,
                vat=vat,
                email=f"info@{'harborpine.example' if cid == 1 else 'harborpine-eu.example'}",
                phone="+1 312 555 0100" if cid == 1 else "+31 10 555 0100",
                street="1200 W Harrison St" if cid == 1 else "Wilhelminakade 91",
            )
        people = {  # partner id -> (name, company, is_company, active); ids as created
            1: (companies[0][0], False, True, True),
            2: ("OdooBot", False, False, False),
            3: ("Mitchell Admin", False, False, True),
            4: (companies[1][0], False, True, True),
            5: ("Marc Demo", 1, False, True),
            6: ("Joel Willis", 1, False, True),
            7: ("FlexLogix Inc.", False, True, True),
        }
        for name, company, is_company, active in people.values():
            self.add_partner(
                t, name, company_id=company, is_company=is_company, active=active, uid=ODOOBOT
            )
        users = [  # (login, partner, company_ids, active); ids 1..6 as in a fresh Odoo
            ("__system__", 2, [1, 2], False),
            ("admin", 3, [1, 2], True),
            ("public", 2, [1], False),
            ("portaltemplate", 2, [1], False),
            ("demo", 5, [1], True),
            ("portal", 6, [1], True),
        ]
        for login, pid, company_ids, active in users:
            name = self.by_id["res.partner", pid]["name"]
            self.add(
                "res.users",
                t,
                ODOOBOT,
                login=login,
                name=name,
                display_name=name,
                partner_id=pid,
                company_id=1,
                company_ids=company_ids,
                active=active,
                share=login == "portal",
                lang="en_US",
                tz="Europe/Brussels" if login == "admin" else "America/Chicago",
            )

    def add_partner(
        self, t: dt.datetime, name: str, parent: int | None = None, uid: int = ADMIN, **values: Any
    ) -> int:
        parent_row = self.by_id["res.partner", parent] if parent else None
        display = f"{parent_row['name']}, {name}" if parent_row else name
        rec_id = len(self.rows["res.partner"]) + 1
        values.setdefault("is_company", False)
        return self.add(
            "res.partner",
            t,
            uid,
            name=name,
            display_name=display,
            complete_name=display,
            parent_id=parent or False,
            commercial_partner_id=parent_row["commercial_partner_id"] if parent_row else rec_id,
            company_type="company" if values["is_company"] else "person",
            type=values.pop("type", "contact"),
            lang="en_US",
            **values,
        )

    def partners(self) -> None:
        """Customers (companies with contacts) and vendors, created through January."""
        rng = self.rng
        n = self.scale.customers + self.scale.vendors
        times = self.moments(EPOCH + dt.timedelta(hours=2), dt.datetime(2026, 2, 1), max(3, n // 6))
        cities = [
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
        for i in range(n):
            vendor = i >= self.scale.customers
            name = f"{rng.choice(_SURNAMES)} {rng.choice(_TRADES)}"
            city, zip_, country = rng.choice(cities)
            t = times[i * len(times) // n]
            domain = name.lower().replace(" ", "-").replace("&", "and")
            pid = self.add_partner(
                t,
                name,
                is_company=True,
                email=f"orders@{domain}.example",
                phone=f"+1 555 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
                city=city,
                zip=zip_,
                country_id=country,
                street=f"{rng.randrange(1, 999)} Main St",
                vat=f"{_COUNTRY_CODES[country]}{rng.randrange(10**8, 10**9)}",
                ref=f"{'V' if vendor else 'C'}{i + 1:05d}",
                customer_rank=0 if vendor else rng.randrange(1, 40),
                supplier_rank=rng.randrange(1, 20) if vendor else 0,
                company_id=2 if country != 1 and rng.random() < 0.2 else False,
                active=rng.random() > 0.05,
            )
            for _ in range(rng.choice([0, 1, 1, 2])):
                first = rng.choice(_FIRST_NAMES)
                self.add_partner(
                    t,
                    f"{first} {rng.choice(_SURNAMES)}",
                    parent=pid,
                    email=f"{first.lower()}@{domain}.example",
                    type=rng.choice(["contact", "invoice", "delivery"]),
                    city=city,
                    zip=zip_,
                    country_id=country,
                    company_id=self.by_id["res.partner", pid]["company_id"],
                )

    def products(self) -> None:
        """Templates and variants (a few with two), SKU-nnnnn codes, EAN-13 barcodes."""
        rng, target = self.rng, self.scale.products
        batches = self.moments(
            dt.datetime(2026, 1, 2), dt.datetime(2026, 1, 25), max(2, target // 25)
        )
        updates = self.moments(dt.datetime(2026, 2, 1), AS_OF, max(2, target // 20))
        sku = 0
        while sku < target:
            t = batches[sku * len(batches) // target]
            kind = rng.random()
            service, storable = kind < 0.03, kind >= 0.08
            categ = 8 if service else rng.choice([3, 4, 5, 6, 7])
            name = f"{rng.choice(_ADJECTIVES)} {rng.choice(_MATERIALS)} {rng.choice(_NOUNS)}"
            price = round(rng.uniform(2, 400), 2)
            variants = [None] if service or rng.random() > 0.1 else rng.sample(_COLORS, 2)
            variants = variants[: target - sku]
            active = rng.random() > 0.03
            tmpl_values = dict(
                name=name,
                type="service" if service else "consu",
                is_storable=storable,
                categ_id=categ,
                uom_id=4 if service else rng.choice([1, 1, 1, 2, 3]),
                list_price=price,
                standard_price=round(price * rng.uniform(0.4, 0.7), 2),
                sale_ok=True,
                purchase_ok=not service,
                active=active,
                company_id=False,
                invoice_policy=rng.choice(["order", "delivery"]),
                purchase_method=rng.choice(["purchase", "receive"]),
                tracking="none",
                currency_id=1,
                sequence=1,
                is_favorite=False,
                weight=0.0 if service else round(rng.uniform(0.05, 30), 2),
                volume=0.0 if service else round(rng.uniform(0.001, 0.5), 3),
            )
            codes = [f"SKU-{sku + k + 1:05d}" for k in range(len(variants))]
            single = len(variants) == 1
            tmpl_display = f"[{codes[0]}] {name}" if single else name
            tmpl = self.add(
                "product.template",
                t,
                display_name=tmpl_display,
                default_code=codes[0] if single else False,
                barcode=False,
                product_variant_count=len(variants),
                description_sale=f"{name}, sold per unit.",
                **tmpl_values,
            )
            for code, color in zip(codes, variants, strict=True):
                sku += 1
                display = f"[{code}] {name}" + (f" ({color})" if color else "")
                barcode = False if service or rng.random() < 0.05 else _ean13(2000000 + sku)
                self.add(
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
            if single:
                self.by_id["product.template", tmpl]["barcode"] = barcode
            if rng.random() < 0.2:  # a later price change rewrites template and variants
                when = rng.choice(updates)
                new_price = round(price * rng.uniform(0.9, 1.15), 2)
                self.touch("product.template", tmpl, when, list_price=new_price)
                for pid in range(sku - len(variants) + 1, sku + 1):
                    self.touch(
                        "product.product", pid, when, list_price=new_price, lst_price=new_price
                    )

    def locations_and_warehouses(self) -> None:
        """Odoo 19's location tree: top-level virtual locations, one view per warehouse."""
        t = EPOCH + dt.timedelta(minutes=5)
        self.loc_ids: dict[str, int] = {}
        for name, usage, company in [
            ("Vendors", "supplier", False),
            ("Customers", "customer", False),
            ("Inter-company transit", "transit", False),
            ("Virtual Locations", "view", False),
        ]:
            self.add_location(t, name, usage, None, company, None)
        for company in (1, 2):
            self.add_location(
                t,
                "Inventory adjustment",
                "inventory",
                "Virtual Locations",
                company,
                None,
                key=f"Inventory adjustment/{company}",
            )
            self.add_location(
                t, "Scrap", "inventory", "Virtual Locations", company, None, key=f"Scrap/{company}"
            )
        warehouses = [
            ("WH1", "Chicago DC", 1, 1, self.scale.shelves),
            ("WH2", "Rotterdam DC", 2, 4, self.scale.shelves),
            ("3PL", "FlexLogix 3PL Dallas", 1, 7, 0),
        ]
        for seq, (code, name, company, partner, shelves) in enumerate(warehouses, start=1):
            wh = len(self.rows["stock.warehouse"]) + 1
            view = self.add_location(t, code, "view", None, company, wh)
            stock = self.add_location(t, "Stock", "internal", code, company, wh)
            steps = [
                self.add_location(t, n, "internal", code, company, wh, active=False)
                for n in ("Input", "Output", "Packing Zone")
            ]
            for k in range(1, shelves + 1):
                self.add_location(t, f"Shelf {k}", "internal", f"{code}/Stock", company, wh)
            self.add(
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

    def add_location(
        self,
        t: dt.datetime,
        name: str,
        usage: str,
        parent: str | None,
        company: int | bool,
        warehouse: int | None,
        key: str | None = None,
        active: bool = True,
    ) -> int:
        parent_id = self.loc_ids[parent] if parent else False
        prow = self.by_id["stock.location", parent_id] if parent_id else None
        full = f"{prow['complete_name']}/{name}" if prow else name
        rec_id = len(self.rows["stock.location"]) + 1
        self.add(
            "stock.location",
            t,
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
        self.loc_ids[key or full] = rec_id
        return rec_id

    def quants(self) -> None:
        """Stock per product and location: an opening inventory, then later transactions."""
        rng = self.rng
        opening = dt.datetime(2026, 1, 26, 9, 30, 0)
        later = self.moments(dt.datetime(2026, 2, 1), AS_OF, self.scale.stock_txns)
        locs = self.rows["stock.location"]
        internal = defaultdict(list)  # warehouse -> internal active location ids
        for loc in locs:
            if loc["usage"] == "internal" and loc["active"]:
                internal[loc["warehouse_id"]].append(loc["id"])
        odds = {1: 0.85, 2: 0.6, 3: 0.35}
        for prod in self.rows["product.product"]:
            if not (prod["is_storable"] and prod["active"]):
                continue
            for wh, chance in odds.items():
                if rng.random() > chance:
                    continue
                places = rng.sample(internal[wh], min(len(internal[wh]), rng.choice([1, 1, 1, 2])))
                for loc in places:
                    self.add_quant(
                        prod, loc, wh, opening if rng.random() < 0.8 else rng.choice(later)
                    )
        transit = self.loc_ids["Inter-company transit"]
        for prod in rng.sample(self.rows["product.product"], 3):
            if prod["is_storable"] and prod["active"]:
                self.add_quant(prod, transit, False, rng.choice(later))
        self.restock(later)

    def restock(self, later: list[dt.datetime]) -> None:
        """Later moves rewrite some quants: new quantity, write_date = that transaction."""
        rng = self.rng
        stamps = [_ts(m) for m in later]
        for quant in self.rows["stock.quant"]:
            if rng.random() < 0.4:
                choices = later[bisect.bisect_right(stamps, quant["create_date"]) :]
                if choices:
                    qty = max(0.0, quant["quantity"] + rng.randrange(-40, 60))
                    reserved = min(quant["reserved_quantity"], qty)
                    self.touch(
                        "stock.quant",
                        quant["id"],
                        rng.choice(choices),
                        quantity=qty,
                        reserved_quantity=reserved,
                        available_quantity=qty - reserved,
                    )

    def add_quant(self, prod: dict[str, Any], loc: int, wh: int | bool, at: dt.datetime) -> None:
        rng = self.rng
        location = self.by_id["stock.location", loc]
        qty = float(rng.randrange(1, 500))
        reserved = float(rng.randrange(0, int(qty) + 1)) if rng.random() < 0.3 else 0.0
        company = location["company_id"]
        self.add(
            "stock.quant",
            at,
            display_name=f"{prod['display_name']} - {location['complete_name']}",
            product_id=prod["id"],
            product_tmpl_id=prod["product_tmpl_id"],
            product_uom_id=prod["uom_id"],
            product_categ_id=prod["categ_id"],
            company_id=company,
            location_id=loc,
            warehouse_id=wh,
            lot_id=False,
            package_id=False,
            owner_id=False,
            quantity=qty,
            reserved_quantity=reserved,
            available_quantity=qty - reserved,
            in_date=_ts(at),
            tracking="none",
            on_hand=location["usage"] == "internal",
            inventory_quantity=0.0,
            inventory_diff_quantity=0.0,
            inventory_date="2026-12-31",
            last_count_date=False,
            inventory_quantity_set=False,
            user_id=False,
            currency_id={1: 1, 2: 2}.get(company, 1),
        )

    def product_quantities(self) -> None:
        """qty_available & co. as Odoo computes them: internal quants of all companies."""
        on_hand: dict[int, float] = defaultdict(float)
        free: dict[int, float] = defaultdict(float)
        for q in self.rows["stock.quant"]:
            if q["on_hand"]:
                on_hand[q["product_id"]] += q["quantity"]
                free[q["product_id"]] += q["quantity"] - q["reserved_quantity"]
        per_tmpl: dict[int, float] = defaultdict(float)
        for prod in self.rows["product.product"]:
            qty = on_hand.get(prod["id"], 0.0)
            prod.update(
                qty_available=qty,
                virtual_available=qty,
                free_qty=free.get(prod["id"], 0.0),
                incoming_qty=0.0,
                outgoing_qty=0.0,
            )
            per_tmpl[prod["product_tmpl_id"]] += qty
        for tmpl in self.rows["product.template"]:
            qty = per_tmpl.get(tmpl["id"], 0.0)
            tmpl.update(qty_available=qty, virtual_available=qty)


def _ean13(number: int) -> str:
    digits = f"{number:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


_COUNTRY_CODES = {1: "US", 2: "NL", 3: "BE", 4: "DE", 5: "FR", 6: "GB", 7: "CA"}
_SURNAMES = [
    "Anders",
    "Baxter",
    "Calloway",
    "Delgado",
    "Eriksen",
    "Fontaine",
    "Garber",
    "Holm",
    "Ibarra",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "Okafor",
    "Peeters",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Underwood",
    "Vasquez",
    "Whitfield",
    "Young",
]
_TRADES = [
    "Hardware",
    "Builders",
    "Supply",
    "Trading",
    "& Sons",
    "Workshop",
    "Logistics",
    "Industries",
    "Outfitters",
    "Distribution",
    "Home Centers",
    "Marine Supply",
]
_FIRST_NAMES = [
    "Ava",
    "Ben",
    "Chloe",
    "Daan",
    "Emma",
    "Finn",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Lars",
    "Mila",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Sven",
    "Tess",
    "Yara",
]
_ADJECTIVES = [
    "Compact",
    "Heavy-Duty",
    "Slim",
    "Modular",
    "Classic",
    "Industrial",
    "Portable",
    "Stackable",
    "Reinforced",
    "Premium",
    "Economy",
    "Adjustable",
]
_MATERIALS = [
    "Steel",
    "Oak",
    "Aluminium",
    "Bamboo",
    "Polymer",
    "Brass",
    "Walnut",
    "Carbon",
    "Canvas",
    "Glass",
]
_NOUNS = [
    "Shelf Bracket",
    "Tool Chest",
    "Storage Bin",
    "Desk Organizer",
    "Hinge Set",
    "Crate",
    "Wall Hook",
    "Cable Tray",
    "Drawer Unit",
    "Pallet Wrap",
    "Screw Kit",
    "Label Holder",
    "Work Bench",
    "Step Stool",
    "Filing Box",
    "Caster Wheel",
]
_COLORS = ["Black", "White", "Graphite", "Sand", "Red", "Blue"]
