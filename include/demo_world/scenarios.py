"""The scenario engine: what goes wrong in the business, injected on purpose, with ground truth.

The simulation first plans a clean business in which every system agrees. This module then
edits a counted sample of those plans (count = max(1, round(rate x eligible population)) for
each case type with a rate > 0) before they are written, and lists each edit as a case of the
DESIGN.md vocabulary. `write_manifest(store_path, manifest_path)` writes them as the manifest.

What "consistent" means, i.e. what the exceptions mart may rely on for everything else (as of
`as_of`; thresholds are the constants below):
- shop: every shop order reaches Odoo as a sale order within IMPORT_LAG (`client_order_ref` =
  shop_order_id, shop `odoo_order_ref` = its name); cancelled in the shop <=> `state = 'cancel'`;
  `total_price` = `amount_total`; `fulfillment_status` follows Odoo's done deliveries; a credit
  note makes it 'partially_refunded'. Every shop line's sku is an Odoo `default_code`.
- fulfilment: confirmed orders are fully delivered within STUCK_AFTER; each done 3PL picking has
  WMS confirmations (kind shipment/receipt, reference = picking name, status SHP/PRT/RCV; a
  cancelled 3PL delivery gets CXL) at or before its Odoo validation, which follows within
  WMS_LAG; each shipment has carrier events with the known codes CARRIER_CODES.
- invoicing: each done delivery is invoiced within INVOICE_LAG (ref = shop order id, invoice
  origin = order name); each done return gets a credit note (out_refund, ref = the return
  picking's name, reversed_entry_id = the first invoice) within CREDIT_NOTE_LAG; every credit
  note has such a return.
- money: every posted account.payment (memo = invoice or credit note name) has one bank line on
  its date (remittance_info = memo, same amount; refunds negative) and vice versa.
- stock (3PL): for each SKU mapped in wms_sku_aliases, the latest WMS snapshot's qty_on_hand
  (summed over bins) = Odoo's 3PL quant + the quantities of WMS shipment confirmations whose Odoo
  picking is not done yet - those of receipt confirmations not done yet. Quants everywhere equal
  the sum of done moves per product x internal location.
- master data: commercial partners (parent_id = false) have unique emails and VATs (contacts
  inherit their company's VAT, as in Odoo).

How each case is injected (keys as in DESIGN.md):
- inventory_drift (missing_event): a 3PL stock adjustment only the WMS knows.
- order_missing_in_odoo (missing_event): a shop order never imported (`odoo_order_ref` NULL).
- order_status_mismatch (missing_event): cancelled in the shop within the last days, still open
  (confirmed, not shipped) in Odoo; never also a stuck_order.
- stuck_order (missing_event): confirmed > STUCK_AFTER ago, nothing shipped by the WMS or Odoo.
- shipped_not_confirmed (missing_event): the 3PL confirmed the shipment > WMS_LAG ago, the Odoo
  picking is still open (the stock difference it causes is explained, not inventory_drift).
- delivered_not_invoiced (missing_event): delivered > NOT_INVOICED_AFTER ago, no invoice (a
  line with qty_to_invoice > 0; a return without credit note makes it negative, which Odoo also
  shows as 'to invoice': that is return_without_credit_note, not this).
- return_without_credit_note (missing_event): return done > CREDIT_NOTE_LAG ago, no credit note.
- credit_note_without_return (manual_outside_flow): a goodwill credit note (ref 'Goodwill').
- duplicate_customer (duplicate): a second commercial partner with a known email or VAT.
- sku_mismatch (master_data): Odoo renamed a product's default_code; the shop still sells it
  under the old one (key: the shop's sku).
- unknown_carrier_status (master_data): a carrier event with a code outside CARRIER_CODES.
- bank_receipt_unmatched (missing_event): a customer's money on the bank, never registered in
  Odoo. payment_without_bank_line (manual_outside_flow): a payment in Odoo the bank never saw.

In flight (cause in_flight) is not an exception: a 3PL shipment confirmed less than WMS_LAG
before as_of and not yet validated in Odoo (some are injected on the last day, rate key
"in_flight"), a shop order not yet imported, a delivery not yet invoiced, a return not yet
credited, all within their lag. They are listed under the manifest's extra key "in_flight"
(same shape as cases) so tolerance logic can be tested; they are never in "cases".
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .simulation.master import Master, add_partner
from .simulation.planning import Planner
from .simulation.plans import Order, Shipment, happened
from .simulation.world import World

CASES_TABLE = "_demo_world_cases"
CARRIER_CODES = ("PU", "IT", "OFD", "DL", "EX", "RTS")
IMPORT_LAG = dt.timedelta(hours=1)
WMS_LAG = dt.timedelta(hours=24)
STUCK_AFTER = dt.timedelta(days=7)
NOT_INVOICED_AFTER = dt.timedelta(days=2)
CREDIT_NOTE_LAG = dt.timedelta(days=3)
DEFAULT_RATES: dict[str, float] = {
    "inventory_drift": 0.03,
    "order_missing_in_odoo": 0.01,
    "order_status_mismatch": 0.01,
    "stuck_order": 0.01,
    "shipped_not_confirmed": 0.01,
    "delivered_not_invoiced": 0.01,
    "return_without_credit_note": 0.03,
    "credit_note_without_return": 0.01,
    "duplicate_customer": 0.01,
    "sku_mismatch": 0.01,
    "unknown_carrier_status": 0.005,
    "bank_receipt_unmatched": 0.01,
    "payment_without_bank_line": 0.01,
    "in_flight": 0.2,
}


@dataclass
class Case:
    type: str
    cause: str
    keys: Callable[[], dict[str, Any]]  # resolved after writing (names are given then)
    detail: Callable[[], dict[str, Any]] = field(default=lambda: {})


def case_count(rate: float, population: int) -> int:
    """How many cases a rate gives: at least one when there is anything to pick from."""
    if rate <= 0 or population <= 0:
        return 0
    return min(population, max(1, round(rate * population)))


class Injector:
    """Edits the planned business; `cases` and `populations` are the ground truth."""

    def __init__(
        self, w: World, m: Master, planner: Planner, seed: int, rates: dict | None
    ) -> None:
        self.w, self.m, self.planner = w, m, planner
        self.rng = random.Random(f"{seed}:scenarios")
        self.rates = {**DEFAULT_RATES, **(rates or {})}
        unknown = set(self.rates) - set(DEFAULT_RATES)
        if unknown:
            raise ValueError(f"unknown case types: {sorted(unknown)}")
        self.cases: list[Case] = []
        self.in_flight: list[Case] = []
        self.populations: dict[str, int] = {}
        self.taken: set[int] = set()
        self.as_of = w.as_of

    def pick(self, kind: str, population: list) -> list:
        self.populations[kind] = len(population)
        chosen = self.rng.sample(population, case_count(self.rates[kind], len(population)))
        self.taken.update(id(x) for x in chosen if isinstance(x, Order))
        return chosen

    def free(self, orders: list[Order]) -> list[Order]:
        return [o for o in orders if id(o) not in self.taken]

    def add(self, kind: str, cause: str, keys: Callable, detail: Callable = lambda: {}) -> None:
        self.cases.append(Case(kind, cause, keys, detail))

    # -- before writing ----------------------------------------------------------------------

    def before_write(self) -> None:
        orders = self.planner.orders
        self.status_mismatch(orders)
        self.stuck(orders)
        self.shipped_not_confirmed(orders)
        self.lagging(orders)
        self.not_invoiced(orders)
        self.return_without_credit(orders)
        self.credit_without_return(orders)
        self.missing_in_odoo(orders)
        self.payments(orders)
        self.carrier_codes(orders)
        self.sku_mismatch(orders)
        self.duplicates()

    def _open(self, o: Order) -> None:
        """Nothing after confirmation happens: one open delivery, no invoice, no money."""
        left = [0.0 if ln.zeroed_at else ln.qty for ln in o.lines]
        o.shipments = [Shipment(left, None, None, None)]
        o.payments, o.ret, o.goodwill_at = [], None, None

    def status_mismatch(self, orders: list[Order]) -> None:
        lo, hi = self.as_of - dt.timedelta(days=6), self.as_of - dt.timedelta(days=1)
        pool = [
            o
            for o in orders
            if o.shop and not o.cancelled_at and o.confirmed_at and lo <= o.confirmed_at <= hi
        ]
        for o in self.pick("order_status_mismatch", pool):
            self._open(o)
            o.shop["cancelled_at"] = o.confirmed_at + dt.timedelta(hours=self.rng.uniform(1, 20))
            self.add(
                "order_status_mismatch",
                "missing_event",
                lambda o=o: {"order_ref": o.name},
                lambda o=o: {"shop_order_id": o.shop["shop_order_id"], "odoo_state": "sale"},
            )

    def stuck(self, orders: list[Order]) -> None:
        lo, hi = self.as_of - dt.timedelta(days=60), self.as_of - STUCK_AFTER - dt.timedelta(days=1)
        pool = self.free(
            [
                o
                for o in orders
                if not o.cancelled_at and o.confirmed_at and lo <= o.confirmed_at <= hi
            ]
        )
        for o in self.pick("stuck_order", pool):
            self._open(o)
            self.add(
                "stuck_order",
                "missing_event",
                lambda o=o: {"order_ref": o.name},
                lambda o=o: {"confirmed_at": str(o.confirmed_at)},
            )

    def shipped_not_confirmed(self, orders: list[Order]) -> None:
        lo, hi = self.as_of - dt.timedelta(days=30), self.as_of - WMS_LAG - dt.timedelta(days=1)
        pool = self.free(
            [
                o
                for o in orders
                if o.wh.code == "3PL"
                and o.shipments
                and o.shipments[0].wms_at
                and lo <= o.shipments[0].wms_at <= hi
            ]
        )
        for o in self.pick("shipped_not_confirmed", pool):
            first = o.shipments[0]
            first.done_at = first.invoice_at = None
            first.partial = False
            o.shipments, o.payments, o.ret, o.goodwill_at = [first], [], None, None
            self.add(
                "shipped_not_confirmed",
                "missing_event",
                lambda o=o: {"order_ref": o.name},
                lambda o=o: {"wms_confirmed_at": str(o.shipments[0].wms_at)},
            )

    def lagging(self, orders: list[Order]) -> None:
        """Stock updates that lag: shipped by the 3PL late on the last day, validated after."""
        last_day = self.as_of.date()
        pool = self.free(
            [
                o
                for o in orders
                if o.wh.code == "3PL"
                and o.shipments
                and o.shipments[-1].wms_at
                and o.shipments[-1].wms_at.date() == last_day
            ]
        )
        for o in self.pick("in_flight", pool):
            s = o.shipments[-1]
            s.done_at = self.as_of + dt.timedelta(hours=self.rng.uniform(1, 6))
            s.invoice_at = s.done_at + dt.timedelta(hours=2)

    def not_invoiced(self, orders: list[Order]) -> None:
        cutoff = self.as_of - NOT_INVOICED_AFTER - dt.timedelta(days=1)
        pool = self.free(
            [
                o
                for o in orders
                if o.shipments
                and o.ret is None
                and all(s.done_at and s.done_at <= cutoff for s in o.shipments)
            ]
        )
        for o in self.pick("delivered_not_invoiced", pool):
            for s in o.shipments:
                s.invoice_at = None
            o.payments, o.goodwill_at = [], None
            self.add(
                "delivered_not_invoiced",
                "missing_event",
                lambda o=o: {"order_ref": o.name},
                lambda o=o: {"delivered_at": str(o.shipments[-1].done_at)},
            )

    def return_without_credit(self, orders: list[Order]) -> None:
        cutoff = self.as_of - CREDIT_NOTE_LAG - dt.timedelta(days=1)
        pool = self.free(
            [
                o
                for o in orders
                if o.ret and o.ret.done_at <= cutoff and all(s.done_at for s in o.shipments)
            ]
        )
        for o in self.pick("return_without_credit_note", pool):
            o.ret.credit_at = None
            o.payments = [p for p in o.payments if p.invoice >= 0]
            self.add(
                "return_without_credit_note",
                "missing_event",
                lambda o=o: {"return_ref": o.ids["name", "ret"]},
                lambda o=o: {"order_ref": o.name},
            )

    def credit_without_return(self, orders: list[Order]) -> None:
        cutoff = self.as_of - dt.timedelta(days=7)
        pool = self.free(
            [
                o
                for o in orders
                if o.kind == "b2b"
                and o.ret is None
                and o.shipments
                and o.shipments[0].invoice_at
                and o.shipments[0].invoice_at <= cutoff
            ]
        )
        for o in self.pick("credit_note_without_return", pool):
            o.goodwill_at = o.shipments[0].invoice_at + dt.timedelta(days=self.rng.randint(1, 5))
            self.add(
                "credit_note_without_return",
                "manual_outside_flow",
                lambda o=o: {"credit_note_ref": o.ids["name", "goodwill"]},
                lambda o=o: {"order_ref": o.name},
            )

    def missing_in_odoo(self, orders: list[Order]) -> None:
        pool = self.free(
            [
                o
                for o in orders
                if o.shop
                and not o.shop["cancelled_at"]
                and o.shop["created_at"] <= self.as_of - IMPORT_LAG
            ]
        )
        for o in self.pick("order_missing_in_odoo", pool):
            o.in_odoo = False
            self.add(
                "order_missing_in_odoo",
                "missing_event",
                lambda o=o: {"shop_order_id": o.shop["shop_order_id"]},
            )

    def payments(self, orders: list[Order]) -> None:
        live = [o for o in orders if id(o) not in self.taken and o.in_odoo]
        pool = [
            (o, n)
            for o in live
            for n, p in enumerate(o.payments)
            if p.invoice >= 0 and happened(p.at, self.as_of)
        ]
        unmatched = self.pick("bank_receipt_unmatched", pool)
        for o, n in unmatched:
            o.payments[n].in_odoo = False
            self.add(
                "bank_receipt_unmatched",
                "missing_event",
                lambda o=o, n=n: {"bank_line_ref": o.ids["name", ("bank", n)]},
            )
        chosen = {(id(o), n) for o, n in unmatched}
        rest = [(o, n) for o, n in pool if (id(o), n) not in chosen]
        for o, n in self.pick("payment_without_bank_line", rest):
            o.payments[n].in_bank = False
            self.add(
                "payment_without_bank_line",
                "manual_outside_flow",
                lambda o=o, n=n: {"payment_ref": o.ids["name", ("pay", n)]},
            )

    def carrier_codes(self, orders: list[Order]) -> None:
        pool = [
            s
            for o in orders
            if o.in_odoo
            for s in o.shipments
            if len(s.carrier) > 2 and happened(s.carrier[1][1], self.as_of)
        ]
        for n, s in enumerate(self.pick("unknown_carrier_status", pool)):
            code = f"X{n + 1:02d}"
            s.carrier.insert(2, (code, s.carrier[1][1] + dt.timedelta(minutes=30)))
            self.add(
                "unknown_carrier_status",
                "master_data",
                lambda code=code: {"carrier_status": code},
                lambda s=s: {"carrier": s.carrier_name},
            )

    def sku_mismatch(self, orders: list[Order]) -> None:
        sold = {ln.product["id"] for o in orders if o.shop for ln in o.lines}
        three_pl = {p for (p, code) in self.m.homes if code == "3PL"}
        pool = [p for p in self.m.online if p["id"] in sold and p["id"] not in three_pl]
        for product in self.pick("sku_mismatch", pool):
            old = product["default_code"]
            new = f"{old}-B"
            product["shop_sku"] = old
            display = product["display_name"].replace(f"[{old}]", f"[{new}]")
            product.update(default_code=new, code=new, display_name=display, partner_ref=display)
            self.add(
                "sku_mismatch",
                "master_data",
                lambda old=old: {"sku": old},
                lambda new=new: {"odoo_default_code": new},
            )

    def duplicates(self) -> None:
        shoppers = [s for s in self.planner.shoppers if s["partner"]]
        pool = [("email", s) for s in shoppers] + [("vat", c) for c in self.m.customers]
        for kind, who in self.pick("duplicate_customer", pool):
            at = self.w.working_time(self.as_of.date() - dt.timedelta(days=self.rng.randint(1, 40)))
            if kind == "email":
                add_partner(
                    self.w,
                    at,
                    who["name"].upper(),
                    email=who["email"],
                    customer_rank=1,
                    city=who["city"],
                    country_id=who["country"],
                    company_id=False,
                )
                self.add("duplicate_customer", "duplicate", lambda e=who["email"]: {"email": e})
            else:
                row = self.w.get("res.partner", who)
                add_partner(
                    self.w,
                    at,
                    f"{row['name']} (new)",
                    is_company=True,
                    vat=row["vat"],
                    email=f"accounts+{who}@{row['email'].split('@')[1]}",
                    customer_rank=1,
                    city=row["city"],
                    country_id=row["country_id"],
                    company_id=False,
                )
                self.add("duplicate_customer", "duplicate", lambda v=row["vat"]: {"vat": v})

    # -- after writing -----------------------------------------------------------------------

    def drift(self, wms_ledger: list) -> None:
        """WMS-only adjustments of a few 3PL SKUs (added to the WMS's ledger)."""
        skus = sorted(p for (p, code) in self.m.homes if code == "3PL")
        for product in self.pick("inventory_drift", skus):
            diff = float(self.rng.choice([-6, -4, -3, -2, 2, 3, 5]))
            day = self.as_of.date() - dt.timedelta(days=self.rng.randint(3, 10))
            at = self.w.working_time(day).strftime("%Y-%m-%d %H:%M:%S")
            wms_ledger.append((product, diff, at, "drift"))
            sku = self.w.get("product.product", product)["default_code"]
            self.add(
                "inventory_drift",
                "missing_event",
                lambda sku=sku: {"sku": sku, "warehouse": "3PL"},
                lambda product=product, diff=diff: self._drift_detail(product, diff),
            )

    def _drift_detail(self, product: int, diff: float) -> dict[str, Any]:
        stock = self.m.warehouses["3PL"].stock
        location = self.m.homes[product, "3PL"]
        qty = sum(
            q["quantity"]
            for q in self.w.rows["stock.quant"]
            if q["product_id"] == product and q["location_id"] in (stock, location)
        )
        return {"odoo_qty": qty, "wms_qty": qty + diff}

    def natural_in_flight(self) -> None:
        """Lags still within tolerance at as_of: listed, never exceptions."""
        as_of = self.as_of
        for o in self.planner.orders:
            if (
                o.shop
                and o.in_odoo
                and happened(o.shop["created_at"], as_of)
                and not happened(o.created_at, as_of)
            ):
                self.in_flight.append(
                    Case(
                        "order_missing_in_odoo",
                        "in_flight",
                        lambda o=o: {"shop_order_id": o.shop["shop_order_id"]},
                    )
                )
            if not o.in_odoo:  # lost on the way: Odoo never sees the rest
                continue
            for s in o.shipments:
                if happened(s.wms_at, as_of) and not happened(s.done_at, as_of) and s.done_at:
                    self.in_flight.append(
                        Case(
                            "shipped_not_confirmed", "in_flight", lambda o=o: {"order_ref": o.name}
                        )
                    )
                if (
                    happened(s.done_at, as_of)
                    and s.invoice_at
                    and not happened(s.invoice_at, as_of)
                ):
                    self.in_flight.append(
                        Case(
                            "delivered_not_invoiced", "in_flight", lambda o=o: {"order_ref": o.name}
                        )
                    )
            r = o.ret
            if (
                r
                and happened(r.done_at, as_of)
                and r.credit_at
                and not happened(r.credit_at, as_of)
            ):
                self.in_flight.append(
                    Case(
                        "return_without_credit_note",
                        "in_flight",
                        lambda o=o: {"return_ref": o.ids["name", "ret"]},
                    )
                )

    def resolved(self) -> tuple[list[dict], list[dict]]:
        """Cases and in-flight items with their keys and details filled in."""

        def rows(cases: list[Case], prefix: str) -> list[dict]:
            out = []
            for n, c in enumerate(cases, start=1):
                out.append(
                    {
                        "case_id": f"{prefix}-{n:06d}",
                        "type": c.type,
                        "cause": c.cause,
                        "keys": c.keys(),
                        "detail": c.detail(),
                    }
                )
            return out

        return rows(self.cases, "c"), rows(self.in_flight, "f")


# -- the manifest ---------------------------------------------------------------------------


def store_cases(conn: sqlite3.Connection, cases: list[dict], in_flight: list[dict]) -> None:
    """Keep the ground truth in the store itself, so a reused store still has its manifest."""
    conn.execute(
        f"CREATE TABLE {CASES_TABLE} (case_id TEXT PRIMARY KEY, type TEXT NOT NULL, "
        "cause TEXT NOT NULL, keys TEXT NOT NULL, detail TEXT NOT NULL, open INTEGER NOT NULL)"
    )
    conn.executemany(
        f"INSERT INTO {CASES_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                c["case_id"],
                c["type"],
                c["cause"],
                json.dumps(c["keys"]),
                json.dumps(c["detail"]),
                flag,
            )
            for flag, group in ((1, cases), (0, in_flight))
            for c in group
        ],
    )


def manifest(store_path: Path | str) -> dict[str, Any]:
    """The ground-truth manifest of a generated store (DESIGN.md's shape, plus in_flight,
    rates and populations)."""
    conn = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    try:
        meta = {
            k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM _demo_world_meta")
        }
        rows = conn.execute(
            f"SELECT case_id, type, cause, keys, detail, open FROM {CASES_TABLE} ORDER BY case_id"
        ).fetchall()
    finally:
        conn.close()
    items = [
        {
            "case_id": r[0],
            "type": r[1],
            "cause": r[2],
            "keys": json.loads(r[3]),
            "detail": json.loads(r[4]),
            "open": r[5],
        }
        for r in rows
    ]
    strip = [{k: v for k, v in c.items() if k != "open"} for c in items]
    return {
        "seed": meta["seed"],
        "scale": meta["scale"],
        "as_of": meta["as_of"],
        "cases": [c for c, full in zip(strip, items, strict=True) if full["open"]],
        "in_flight": [c for c, full in zip(strip, items, strict=True) if not full["open"]],
        "rates": meta.get("rates", {}),
        "populations": meta.get("populations", {}),
    }


def write_manifest(store_path: Path | str, manifest_path: Path | str) -> Path:
    """Write the manifest JSON next to the store (atomically: temp name, then rename)."""
    path = Path(manifest_path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(manifest(store_path), indent=2, ensure_ascii=False))
    tmp.replace(path)
    return path
