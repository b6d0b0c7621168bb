"""The business day by day: web and B2B orders, their fulfilment, invoicing, payment, returns,
and the purchases that replenish the warehouses. Everything here is the clean business; the
scenario engine edits these plans afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from . import names
from .master import EU, PAYMENT_TERMS, US, Master, Warehouse, add_partner
from .plans import Line, Order, Payment, Purchase, Receipt, Return, Shipment
from .world import ADMIN, DEMO, World

CARRIERS = {US: ("UPS", "FedEx"), EU: ("DHL", "PostNL")}
CARRIER_CITIES = {US: ("Chicago IL", "Dallas TX", "Memphis TN"), EU: ("Rotterdam", "Venlo", "Köln")}
SHOP_START_NUMBER = 100001


class Planner:
    """Plans every order and purchase of the timeline, in creation order."""

    def __init__(self, w: World, m: Master) -> None:
        self.w, self.m, self.rng = w, m, w.rng
        self.orders: list[Order] = []
        self.purchases: list[Purchase] = []
        self.stocked: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.online: dict[str, list[dict[str, Any]]] = defaultdict(list)
        online_ids = {p["id"] for p in m.online}
        for product in m.goods:
            for code in m.warehouses:
                if (product["id"], code) in m.homes:
                    self.stocked[code].append(product)
                    if product["id"] in online_ids:
                        self.online[code].append(product)
        self.shoppers: list[dict[str, Any]] = []
        self.shop_number = SHOP_START_NUMBER
        # When a confirmed order's goods are there to ship. Generation sizes the opening
        # inventory afterwards, so at once; live mode waits for stock (see replenishment).
        self.ready: Callable[[Order], dt.datetime] = _at_confirmation

    def run(self, days: list[dt.date]) -> None:
        for on in days:
            self.plan_day(on)

    def plan_day(self, on: dt.date) -> None:
        """One day of business: web orders around the clock, B2B orders in office hours."""
        s, rng = self.w.scale, self.rng
        weekday = on.weekday() < 5
        web = _count(rng, s.web_orders_per_day * (1.0 if weekday else 1.3))
        b2b = _count(rng, s.b2b_orders_per_day * (1.0 if weekday else 0.15))
        start = dt.datetime.combine(on, dt.time())
        for at in self.w.moments(start, start + dt.timedelta(days=1), web):
            self.web_order(at)
        for _ in range(b2b):
            self.b2b_order(self.w.working_time(on))
        if (on - self.w.start.date()).days % s.purchase_every_days == 0:
            for vendor in self.m.vendors:
                for code in self.m.warehouses:
                    if rng.random() < 0.6:
                        self.purchase(vendor, self.m.warehouses[code], self.w.working_time(on))

    # -- sales ---------------------------------------------------------------------------

    def web_order(self, at: dt.datetime) -> None:
        rng = self.rng
        shopper = self.shopper(at)
        wh = self.m.warehouses["WH2" if shopper["company"] == EU else rng.choice(["WH1", "3PL"])]
        products = self.online[wh.code]
        if not products:
            return
        imported = at + dt.timedelta(seconds=rng.randrange(60, 600))
        if shopper["partner"] is None:
            shopper["partner"] = add_partner(
                self.w,
                imported,
                shopper["name"],
                email=shopper["email"],
                city=shopper["city"],
                zip=shopper["zip"],
                country_id=shopper["country"],
                customer_rank=1,
                company_id=False,
            )
        lines = [
            Line(p, float(rng.choice([1, 1, 1, 2, 2, 3, 4])), p["list_price"])
            for p in rng.sample(products, min(len(products), rng.choice([1, 1, 2, 2, 3])))
        ]
        order = self.new_order("web", wh, shopper["partner"], ADMIN, "immediate", imported, lines)
        order.confirmed_at = imported
        shop_id = f"SHOP-{self.shop_number}"
        order.shop = {
            "shop_order_id": shop_id,
            "order_number": self.shop_number,
            "email": shopper["email"],
            "customer_name": shopper["name"],
            "created_at": at,
            "cancelled_at": None,
        }
        self.shop_number += 1
        if rng.random() < 0.03:  # the shopper cancels before it ships
            cancel = at + dt.timedelta(hours=rng.uniform(0.5, 6))
            order.shop["cancelled_at"] = cancel
            order.cancelled_at = cancel + dt.timedelta(seconds=rng.randrange(30, 600))
            self.ship(order, order.confirmed_at, cancelled=True)
            return
        self.fulfil(order)

    def b2b_order(self, at: dt.datetime) -> None:
        rng, m = self.rng, self.m
        partner = rng.choice(m.customers)
        country = self.w.get("res.partner", partner)["country_id"]
        wh = m.warehouses["WH1" if country in (1, 7) and rng.random() < 0.7 else "3PL"]
        if country not in (1, 7):
            wh = m.warehouses["WH2"]
        products = self.stocked[wh.code]
        count = min(len(products), rng.randint(2, 8))
        lines = [
            Line(p, float(rng.choice([5, 10, 12, 20, 24, 50, 100])), p["list_price"])
            for p in rng.sample(products, count)
        ]
        user = DEMO if wh.company == US and rng.random() < 0.4 else ADMIN
        term = rng.choice(["30 days", "30 days", "45 days"])
        order = self.new_order("b2b", wh, partner, user, term, at, lines)
        if rng.random() < 0.5:
            order.sent_at = self.w.later(at, 0.1, 3)
        fate = rng.random()
        if fate < 0.08:  # never confirmed: expires and is cancelled, or still open
            order.cancelled_at = self.w.later(at, 24 * 5, 24 * 20)
            return
        order.confirmed_at = self.w.later(order.sent_at or at, 0.5, 48)
        if fate < 0.1:  # cancelled after confirmation, before anything shipped
            order.cancelled_at = self.w.later(order.confirmed_at, 0.2, 3)
            self.ship(order, order.confirmed_at, cancelled=True)
            return
        if fate < 0.13:
            self.substitute(order)
        self.fulfil(order)

    def new_order(
        self,
        kind: str,
        wh: Warehouse,
        partner: int,
        user: int,
        term: str,
        at: dt.datetime,
        lines: list[Line],
    ) -> Order:
        name = self.w.next_name("S")
        order = Order(kind, name, wh, partner, user, term, at, None, lines)
        self.orders.append(order)
        return order

    def substitute(self, order: Order) -> None:
        """An ordered product is out: its line goes to 0 and another product replaces it."""
        line = order.lines[0]
        candidates = [p for p in self.stocked[order.wh.code] if p is not line.product]
        if not candidates:
            return
        line.zeroed_at = order.confirmed_at + dt.timedelta(minutes=self.rng.randrange(5, 50))
        sub = self.rng.choice(candidates)
        order.lines.append(Line(sub, line.qty, line.price))

    def shopper(self, at: dt.datetime) -> dict[str, Any]:
        """A returning shopper, or a new one (their partner is created with their first order)."""
        rng = self.rng
        if self.shoppers and (len(self.shoppers) >= self.w.scale.shoppers or rng.random() < 0.35):
            return rng.choice(self.shoppers)
        n = len(self.shoppers) + 1
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.SURNAMES)
        city, zip_, country = rng.choice(
            [("Austin", "73301", 1), ("Denver", "80202", 1), ("Boston", "02108", 1)] * 3
            + [("Utrecht", "3511", 2), ("Ghent", "9000", 3), ("Bremen", "28195", 4)] * 2
        )
        shopper = {
            "name": f"{first} {last}",
            "email": f"{first.lower()}.{last.lower()}.{n}@mail.example",
            "city": city,
            "zip": zip_,
            "country": country,
            "company": US if country == 1 else EU,
            "partner": None,
        }
        self.shoppers.append(shopper)
        return shopper

    # -- fulfilment ----------------------------------------------------------------------

    def fulfil(self, order: Order) -> None:
        """Ship (maybe in two parts), invoice each shipment, get paid, maybe take a return."""
        rng, w = self.rng, self.w
        ready = self.ready(order)  # after any substitution
        first = self.ship(order, w.later(ready, 1, 40))
        if rng.random() < 0.1 and any(q > 1 for q in remaining(order)):
            first.partial = True
            big = [i for i, q in enumerate(first.qtys) if q > 1]
            cut = {i for i in big if rng.random() < 0.5} or {big[0]}
            first.qtys = [float(int(q // 2)) if i in cut else q for i, q in enumerate(first.qtys)]
            self.ship(order, w.later(first.done_at, 24, 96))
        for i, shipment in enumerate(order.shipments):
            shipment.invoice_at = w.later(shipment.done_at, 1, 20)
            self.pay(order, i, shipment.invoice_at)
        last = order.shipments[-1]
        if rng.random() < 0.04:
            line = rng.randrange(len(order.lines))
            qtys = [0.0] * len(order.lines)
            qtys[line] = float(rng.randint(1, int(max(1, order.shipments[0].qtys[line]))))
            if order.shipments[0].qtys[line] <= 0:
                return
            done = w.later(last.done_at, 24 * 3, 24 * 15)
            wms = (
                done - dt.timedelta(minutes=rng.randrange(5, 120))
                if order.wh.code == "3PL"
                else None
            )
            order.ret = Return(qtys, done, wms, w.later(done, 1, 20))
            if order.kind == "web":  # the shop refunds the card: an outbound payment
                order.payments.append(Payment(order.ret.credit_at, None, -1))

    def ship(self, order: Order, at: dt.datetime, cancelled: bool = False) -> Shipment:
        """A delivery picking for what is left (a cancelled order's never ships)."""
        qtys = remaining(order)
        if cancelled:
            shipment = Shipment(qtys, None, None, None)
        else:
            wms = at if order.wh.code == "3PL" else None
            done = at + dt.timedelta(minutes=self.rng.randrange(5, 180)) if wms else at
            shipment = Shipment(qtys, wms, done, None)
            shipment.carrier_name = self.rng.choice(CARRIERS[order.company])
            shipment.carrier = self.track(order.company, wms or done)
        order.shipments.append(shipment)
        return shipment

    def track(self, company: int, shipped: dt.datetime) -> list[tuple[str, dt.datetime]]:
        """Carrier milestones: picked up, in transit, (exception), out for delivery, delivered."""
        rng = self.rng
        pickup = shipped + dt.timedelta(hours=rng.uniform(1, 4))
        events = [("PU", pickup), ("IT", pickup + dt.timedelta(hours=rng.uniform(6, 20)))]
        if rng.random() < 0.05:
            events.append(("EX", events[-1][1] + dt.timedelta(hours=rng.uniform(4, 30))))
        ofd = events[-1][1] + dt.timedelta(hours=rng.uniform(10, 40))
        events += [("OFD", ofd), ("DL", ofd + dt.timedelta(hours=rng.uniform(1, 7)))]
        return [(code, moment.replace(microsecond=0)) for code, moment in events]

    def pay(self, order: Order, invoice: int, invoiced: dt.datetime) -> None:
        """Payments of one invoice: web orders at once (card), B2B by the customer's habits."""
        rng = self.rng
        if order.kind == "web":
            order.payments.append(Payment(invoiced + dt.timedelta(minutes=5), None, invoice))
            return
        due = invoiced + dt.timedelta(days=PAYMENT_TERMS[order.term][1])
        habit = self.m.payer[order.partner]
        if habit == "prompt":
            at = max(invoiced, due - dt.timedelta(days=rng.randrange(0, 10)))
            order.payments.append(Payment(self.w.working_time(at.date()), None, invoice))
        elif habit == "late":
            at = due + dt.timedelta(days=rng.randrange(5, 40))
            order.payments.append(Payment(self.w.working_time(at.date()), None, invoice))
        else:  # partial: about half on time, the rest weeks later
            first = self.w.working_time(due.date())
            rest = self.w.working_time((due + dt.timedelta(days=rng.randrange(10, 30))).date())
            order.payments += [Payment(first, 0.5, invoice), Payment(rest, None, invoice)]

    # -- purchasing ----------------------------------------------------------------------

    def purchase(self, vendor: int, wh: Warehouse, at: dt.datetime) -> None:
        """A replenishment order for a few of the vendor's products in the warehouse."""
        rng = self.rng
        products = [
            p
            for p in self.stocked[wh.code]
            if p["id"] % len(self.m.vendors) == (self.m.vendors.index(vendor))
        ]
        if not products:
            return
        picked = rng.sample(products, min(len(products), rng.randint(1, 12)))
        lines = [
            Line(p, float(rng.choice([24, 48, 60, 100, 120, 200])), p["standard_price"])
            for p in picked
        ]
        self.buy(vendor, wh, at, lines)

    def buy(self, vendor: int, wh: Warehouse, at: dt.datetime, lines: list[Line]) -> Purchase:
        """A purchase order for `lines`: confirmed (or now and then cancelled), then received
        on time or late, sometimes in two parts."""
        rng, w = self.rng, self.w
        planned = at + dt.timedelta(days=self.m.lead_days[vendor])
        po = Purchase(w.next_name("P"), wh, vendor, at, w.later(at, 0.1, 4), planned, lines)
        self.purchases.append(po)
        if rng.random() < 0.03:
            po.cancelled_at, po.confirmed_at = w.later(at, 1, 30), None
            return po
        late = rng.random() < 0.2
        arrive = w.working_time(
            (planned + dt.timedelta(days=rng.randint(1, 6) if late else 0)).date()
        )
        qtys = [ln.qty for ln in lines]
        if rng.random() < 0.12:  # partial: the rest comes with a backorder
            first = [float(int(q * rng.uniform(0.3, 0.8))) for q in qtys]
            po.receipts.append(self.receipt(wh, first, arrive))
            rest = [q - f for q, f in zip(qtys, first, strict=True)]
            po.receipts.append(self.receipt(wh, rest, w.later(arrive, 48, 24 * 7)))
        else:
            po.receipts.append(self.receipt(wh, qtys, arrive))
        return po

    def receipt(self, wh: Warehouse, qtys: list[float], at: dt.datetime) -> Receipt:
        if wh.code != "3PL":
            return Receipt(qtys, None, at)
        return Receipt(qtys, at, at + dt.timedelta(minutes=self.rng.randrange(5, 180)))


def _at_confirmation(order: Order) -> dt.datetime:
    assert order.confirmed_at is not None  # only confirmed orders are fulfilled
    return order.confirmed_at


def remaining(order: Order) -> list[float]:
    """Per line, what no earlier shipment has taken (zeroed lines: nothing)."""
    left = [0.0 if ln.zeroed_at else ln.qty for ln in order.lines]
    for s in order.shipments:
        if s.done_at is not None or s.wms_at is not None:
            left = [a - b for a, b in zip(left, s.qtys, strict=True)]
    return left


def _count(rng: Any, rate: float) -> int:
    """A day's number of events around `rate` (deterministic per rng)."""
    value = rate * rng.uniform(0.6, 1.4)
    return int(value) + (1 if rng.random() < value - int(value) else 0)
