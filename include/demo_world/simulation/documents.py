"""Writes plans out as rows, as of a moment: Odoo's documents and the other systems' records.

`Writer.order(plan, as_of)` and `Writer.purchase(plan, as_of)` emit every row the plan has
produced by `as_of` through `sink(model_or_table, row)`: Odoo rows are dicts keyed by field
name, other systems' rows are dicts keyed by column. Ids and names are given on first emission
and kept on the plan, so writing a plan again later (live mode) rewrites the same records.
Done stock moves go to `ledger` (Odoo's view) and `wms_ledger` (the 3PL's view) for the quants
and the WMS snapshots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from .master import EU, JOURNAL_CODES, PAYMENT_TERMS, TAX_RATE, Master, Warehouse
from .plans import Order, Purchase, happened
from .world import ADMIN, World, day, ts

Sink = Callable[[str, dict[str, Any]], None]
CURRENCY = {1: 1, 2: 2}  # company -> currency id
CURRENCY_NAME = {1: "USD", 2: "EUR"}
IBAN = {1: "US64SVBKUS6S3300958879", 2: "NL91ABNA0417164300"}


def wms_sku(sku: str) -> str:
    """The 3PL's own item code for one of our SKUs."""
    return "FLX-" + sku.removeprefix("SKU-")


class Writer:
    """Turns plans into rows; one per world (it owns the id and name sequences it uses)."""

    def __init__(self, w: World, m: Master, sink: Sink) -> None:
        self.w, self.m, self.sink = w, m, sink
        self.ledger: list[tuple[int, int, float, str]] = []  # product, location, qty, date
        self.reserved: list[tuple[int, int, float]] = []  # product, location, qty (open moves)
        self.wms_ledger: list[tuple[int, float, str, str]] = []  # product, qty, at, kind
        self.wms_alloc: list[tuple[int, float, str]] = []  # product, qty allocated (+/-), at
        self.as_of = w.as_of

    # -- plumbing --------------------------------------------------------------------------

    def _id(self, plan: Any, key: Any, model: str) -> int:
        if key not in plan.ids:
            plan.ids[key] = self.w.new_id(model)
        return plan.ids[key]

    def _name(self, plan: Any, key: Any, prefix: str, width: int = 5) -> str:
        if ("name", key) not in plan.ids:
            plan.ids["name", key] = self.w.next_name(prefix, width)
        return plan.ids["name", key]

    def _row(
        self, model: str, rec_id: int, created: dt.datetime, events: list, **values: Any
    ) -> dict:
        """A record created at `created`, last written by the latest of `events` so far."""
        last = max([created, *(e for e in events if happened(e, self.as_of))])
        row = {
            "id": rec_id,
            "active": True,
            "create_uid": ADMIN,
            "write_uid": ADMIN,
            "create_date": ts(created),
            "write_date": ts(last),
            **values,
        }
        self.sink(model, row)
        return row

    def _display(self, model: str, rec_id: int) -> str:
        return self.w.get(model, rec_id)["display_name"]

    # -- sale orders -----------------------------------------------------------------------

    def order(self, o: Order, as_of: dt.datetime) -> None:
        """Every row of one sale order's life up to `as_of`."""
        self.as_of = as_of
        if o.shop is not None:
            self._shop(o)
        if not o.in_odoo or not happened(o.created_at, as_of):
            return
        so_id = self._id(o, "so", "sale.order")
        delivered, invoiced = self._delivered_invoiced(o)
        line_ids = self._order_lines(o, so_id, delivered, invoiced)
        pickings = self._deliveries(o, so_id, line_ids)
        invoices = self._invoices(o, so_id, line_ids)
        self._payments(o, invoices)
        self._return(o, so_id, pickings, invoices, line_ids)
        self._goodwill(o, invoices)
        self._sale_order(o, so_id, delivered, invoiced, invoices)

    def _delivered_invoiced(self, o: Order) -> tuple[list[float], list[float]]:
        n = len(o.lines)
        delivered, invoiced = [0.0] * n, [0.0] * n
        for s in o.shipments:
            if happened(s.done_at, self.as_of):
                delivered = [a + b for a, b in zip(delivered, s.qtys, strict=True)]
                if happened(s.invoice_at, self.as_of):
                    invoiced = [a + b for a, b in zip(invoiced, s.qtys, strict=True)]
        r = o.ret
        if r and happened(r.done_at, self.as_of):
            delivered = [a - b for a, b in zip(delivered, r.qtys, strict=True)]
            if happened(r.credit_at, self.as_of):
                invoiced = [a - b for a, b in zip(invoiced, r.qtys, strict=True)]
        return delivered, invoiced

    def _state(self, o: Order) -> str:
        if happened(o.cancelled_at, self.as_of):
            return "cancel"
        if happened(o.confirmed_at, self.as_of):
            return "sale"
        return "sent" if happened(o.sent_at, self.as_of) else "draft"

    def _order_lines(
        self, o: Order, so_id: int, delivered: list[float], invoiced: list[float]
    ) -> list[int]:
        state, company = self._state(o), o.company
        rate = TAX_RATE[company]
        ids = []
        touched = [o.confirmed_at, o.cancelled_at, o.sent_at]
        touched += [s.done_at for s in o.shipments] + [s.invoice_at for s in o.shipments]
        if o.ret:
            touched += [o.ret.done_at, o.ret.credit_at]
        for i, ln in enumerate(o.lines):
            qty = 0.0 if happened(ln.zeroed_at, self.as_of) else ln.qty
            created = (
                o.created_at
                if i < len(o.lines) - (1 if self._substituted(o) else 0)
                else (o.lines[0].zeroed_at)
            )
            if not happened(created, self.as_of):
                continue
            line_id = self._id(o, ("line", i), "sale.order.line")
            ids.append(line_id)
            subtotal = round(qty * ln.price, 2)
            tax = round(subtotal * rate, 2)
            to_invoice = round(delivered[i] - invoiced[i], 4)
            status = (
                "to invoice" if to_invoice else ("invoiced" if qty and invoiced[i] >= qty else "no")
            )
            self._row(
                "sale.order.line",
                line_id,
                created,
                [*touched, ln.zeroed_at],
                order_id=so_id,
                product_id=ln.product["id"],
                name=ln.product["display_name"],
                display_name=f"{o.name} - {ln.product['display_name']}",
                sequence=10 + i,
                product_uom_qty=qty,
                qty_delivered=delivered[i],
                qty_invoiced=invoiced[i],
                qty_to_invoice=to_invoice,
                price_unit=ln.price,
                discount=0.0,
                price_subtotal=subtotal,
                price_tax=tax,
                price_total=round(subtotal + tax, 2),
                product_uom_id=1,
                state=state,
                invoice_status=status if state == "sale" else "no",
                qty_delivered_method="stock_move",
                company_id=company,
                currency_id=CURRENCY[company],
                order_partner_id=o.partner,
                salesman_id=o.user,
                tax_ids=[self.m.taxes[company]],
                warehouse_id=o.wh.id,
                customer_lead=0.0,
            )
        return ids

    @staticmethod
    def _substituted(o: Order) -> bool:
        return o.lines[0].zeroed_at is not None

    def _sale_order(
        self, o: Order, so_id: int, delivered: list[float], invoiced: list[float], invoices: list
    ) -> None:
        state, company = self._state(o), o.company
        qtys = [0.0 if happened(ln.zeroed_at, self.as_of) else ln.qty for ln in o.lines]
        untaxed = round(sum(q * ln.price for q, ln in zip(qtys, o.lines, strict=True)), 2)
        tax = round(
            sum(
                round(q * ln.price, 2) * TAX_RATE[company]
                for q, ln in zip(qtys, o.lines, strict=True)
            ),
            2,
        )
        done = [s.done_at for s in o.shipments if happened(s.done_at, self.as_of)]
        wanted = sum(qtys)
        shipped = sum(delivered)
        if not done:
            delivery = "pending" if state == "sale" else False
        else:
            delivery = "full" if shipped + self._returned(o) >= wanted else "partial"
        to_invoice = any(round(d - i, 4) for d, i in zip(delivered, invoiced, strict=True))
        fully = all(i >= q for i, q in zip(invoiced, qtys, strict=True)) and any(qtys)
        status = "to invoice" if to_invoice else ("invoiced" if fully else "no")
        events = [o.confirmed_at, o.cancelled_at, o.sent_at, *(ln.zeroed_at for ln in o.lines)]
        events += [s.done_at for s in o.shipments] + [s.invoice_at for s in o.shipments]
        self._row(
            "sale.order",
            so_id,
            o.created_at,
            events,
            name=o.name,
            display_name=o.name,
            state=state,
            partner_id=o.partner,
            partner_invoice_id=o.partner,
            partner_shipping_id=o.partner,
            date_order=ts(o.confirmed_at if happened(o.confirmed_at, self.as_of) else o.created_at),
            validity_date=day(o.created_at + dt.timedelta(days=30)),
            commitment_date=False,
            user_id=o.user,
            team_id=self.m.teams[company],
            company_id=company,
            currency_id=CURRENCY[company],
            pricelist_id=False,
            warehouse_id=o.wh.id,
            amount_untaxed=untaxed,
            amount_tax=tax,
            amount_total=round(untaxed + tax, 2),
            invoice_status=status if state == "sale" else "no",
            delivery_status=delivery,
            client_order_ref=o.shop["shop_order_id"] if o.shop else f"PO{700000 + so_id}",
            origin="Web Shop" if o.shop else False,
            payment_term_id=PAYMENT_TERMS[o.term][0],
            effective_date=ts(min(done)) if done else False,
            tag_ids=[],
            invoice_ids=[inv["id"] for inv in invoices],
        )

    def _returned(self, o: Order) -> float:
        r = o.ret
        return sum(r.qtys) if r and happened(r.done_at, self.as_of) else 0.0

    # -- deliveries ------------------------------------------------------------------------

    def _deliveries(self, o: Order, so_id: int, line_ids: list[int]) -> list[dict]:
        """One picking per shipment: the first at confirmation, each backorder at the previous
        one's validation; moves for what is left, move lines for what is reserved or done."""
        if not happened(o.confirmed_at, self.as_of):
            return []
        pickings, left = [], [0.0 if ln.zeroed_at else ln.qty for ln in o.lines]
        created = o.confirmed_at
        for i, s in enumerate(o.shipments):
            if not happened(created, self.as_of):
                break
            done = happened(s.done_at, self.as_of)
            cancelled = happened(o.cancelled_at, self.as_of) and not done
            qtys = s.qtys if done else left
            picking = self._picking(o, ("out", i), created, s.done_at, "outgoing", cancelled)
            picking.update(sale_id=so_id, backorder_id=pickings[-1]["id"] if pickings else False)
            for j, qty in enumerate(qtys):
                if qty <= 0:
                    continue
                self._move(
                    o,
                    ("out", i, j),
                    picking,
                    o.lines[j],
                    qty,
                    line_ids[j] if j < len(line_ids) else False,
                    s.done_at,
                )
            self._wms_shipment(o, picking, s, qtys, left)
            self._carrier(o, picking, s)
            pickings.append(picking)
            left = [a - b for a, b in zip(left, s.qtys, strict=True)]
            created = s.done_at
        for p in pickings:
            self.sink("stock.picking", p)
        return pickings

    def _picking(
        self, plan: Any, key: Any, created: dt.datetime, done_at: Any, code: str, cancelled: bool
    ) -> dict:
        """A picking dict (emitted by the caller once complete)."""
        wh: Warehouse = plan.wh
        rec_id = self._id(plan, key, "stock.picking")
        prefix = {"outgoing": "OUT", "incoming": "IN"}[code]
        name = self._name(plan, key, f"{wh.code}/{prefix}/")
        done = happened(done_at, self.as_of)
        state = "done" if done else ("cancel" if cancelled else "assigned")
        customers, vendors = self.m.locations["Customers"], self.m.locations["Vendors"]
        src, dest = (wh.stock, customers) if code == "outgoing" else (vendors, wh.stock)
        partner = getattr(plan, "partner", None) or getattr(plan, "vendor", None)
        events = [done_at, getattr(plan, "cancelled_at", None) if cancelled else None]
        last = max([created, *(e for e in events if happened(e, self.as_of))])
        return {
            "id": rec_id,
            "active": True,
            "create_uid": ADMIN,
            "write_uid": ADMIN,
            "create_date": ts(created),
            "write_date": ts(last),
            "name": name,
            "display_name": name,
            "state": state,
            "picking_type_id": wh.types[code],
            "picking_type_code": code,
            "partner_id": partner,
            "origin": plan.name,
            "scheduled_date": ts(created + dt.timedelta(hours=4)),
            "date_deadline": False,
            "date_done": ts(done_at) if done else False,
            "location_id": src,
            "location_dest_id": dest,
            "backorder_id": False,
            "return_id": False,
            "sale_id": False,
            "purchase_id": False,
            "user_id": False,
            "company_id": wh.company,
            "move_type": "direct",
            "priority": "0",
        }

    def _move(
        self,
        plan: Any,
        key: Any,
        picking: dict,
        line: Any,
        qty: float,
        sale_line: int | bool,
        done_at: Any,
        purchase_line: int | bool = False,
        returned: int | bool = False,
    ) -> int:
        """A stock move with its one move line; done moves go to the stock ledgers."""
        product = line.product
        state = picking["state"]
        src, dest = picking["location_id"], picking["location_dest_id"]
        wh: Warehouse = plan.wh
        home = self.m.homes.get((product["id"], wh.code), wh.stock)
        src = home if src == wh.stock else src
        dest = home if dest == wh.stock else dest
        done = state == "done"
        outgoing = picking["picking_type_code"] == "outgoing"
        cost = product["standard_price"]
        move_id = self._id(plan, ("move", *key), "stock.move")
        created = dt.datetime.strptime(picking["create_date"], "%Y-%m-%d %H:%M:%S")
        moved = picking["date_done"] if done else picking["scheduled_date"]
        common = dict(
            product_id=product["id"],
            location_id=src,
            location_dest_id=dest,
            picking_id=picking["id"],
            reference=picking["name"],
            state=state,
            company_id=wh.company,
            picked=done,
            date=moved,
            origin=plan.name,
        )
        self._row(
            "stock.move",
            move_id,
            created,
            [done_at if done else None],
            display_name=f"{picking['name']}: {product['display_name']}",
            product_uom_qty=qty,
            quantity=qty if state != "cancel" else 0.0,
            product_qty=qty,
            product_uom=1,
            picking_type_id=picking["picking_type_id"],
            date_deadline=False,
            sale_line_id=sale_line,
            purchase_line_id=purchase_line,
            price_unit=cost if not outgoing else 0.0,
            value=round(qty * cost, 2) if done else 0.0,
            is_in=done and not outgoing,
            is_out=done and outgoing,
            origin_returned_move_id=returned,
            warehouse_id=wh.id,
            partner_id=picking["partner_id"],
            sequence=10,
            **common,
        )
        if state == "cancel":
            return move_id
        self._row(
            "stock.move.line",
            self._id(plan, ("ml", *key), "stock.move.line"),
            created,
            [done_at if done else None],
            move_id=move_id,
            display_name=product["display_name"],
            quantity=qty,
            quantity_product_uom=qty,
            product_uom_id=1,
            lot_id=False,
            package_id=False,
            result_package_id=False,
            **common,
        )
        if done:
            location = src if outgoing else dest
            self.ledger.append((product["id"], location, -qty if outgoing else qty, moved))
        elif outgoing:
            self.reserved.append((product["id"], src, qty))
        return move_id

    # -- the 3PL and the carrier -------------------------------------------------------------

    def _wms_shipment(
        self, o: Order, picking: dict, s: Any, qtys: list[float], left: list[float]
    ) -> None:
        """The 3PL's side of a delivery: its allocation, and its SHP/PRT or CXL confirmation."""
        if o.wh.code != "3PL":
            return
        shipped = happened(s.wms_at, self.as_of)
        released = s.wms_at if shipped else o.cancelled_at
        self._allocate(o, qtys, picking["create_date"], released)
        if shipped:
            partial = any(q < lf for q, lf in zip(s.qtys, left, strict=True))
            status, at, sent = ("PRT" if partial else "SHP"), s.wms_at, s.qtys
        elif picking["state"] == "cancel" and happened(o.cancelled_at, self.as_of):
            status, at, sent = "CXL", o.cancelled_at, qtys
        else:
            return
        self._wms_confirmations(o, picking, "shipment", sent, status, at)

    def _allocate(self, o: Order, qtys: list[float], created: str, released: Any) -> None:
        for j, qty in enumerate(qtys):
            if qty > 0:
                product = o.lines[j].product["id"]
                self.wms_alloc.append((product, qty, created))
                if happened(released, self.as_of):
                    self.wms_alloc.append((product, -qty, ts(released)))

    def _wms_confirmations(
        self, plan: Any, picking: dict, kind: str, qtys: list[float], status: str, at: Any
    ) -> None:
        """The 3PL's confirmation of each line of a picking; what it moved enters its ledger."""
        sign, direction = (-1.0, "out") if kind == "shipment" else (1.0, "in")
        for j, qty in enumerate(qtys):
            if qty <= 0:
                continue
            product = plan.lines[j].product
            self.sink(
                "wms_confirmations",
                {
                    "confirmation_id": f"FLX-{kind[0].upper()}-{picking['id']:07d}-{j:02d}",
                    "kind": kind,
                    "reference": picking["name"],
                    "order_ref": plan.name,
                    "wms_sku": wms_sku(product["default_code"]),
                    "quantity": qty,
                    "status_code": status,
                    "confirmed_at": ts(at),
                },
            )
            if status != "CXL":
                self.wms_ledger.append((product["id"], sign * qty, ts(at), direction))

    def _carrier(self, o: Order, picking: dict, s: Any) -> None:
        tracking = f"{s.carrier_name[:2].upper()}{picking['id']:010d}"
        cities = ("Chicago IL", "Memphis TN") if o.company != EU else ("Rotterdam", "Venlo")
        for k, (code, at) in enumerate(s.carrier):
            if happened(at, self.as_of):
                self.sink(
                    "carrier_events",
                    {
                        "event_id": f"{tracking}-{k + 1}",
                        "carrier": s.carrier_name,
                        "tracking_number": tracking,
                        "order_ref": o.name,
                        "status_code": code,
                        "occurred_at": ts(at),
                        "location": cities[k % 2],
                    },
                )

    # -- invoicing ---------------------------------------------------------------------------

    def _invoices(self, o: Order, so_id: int, line_ids: list[int]) -> list[dict]:
        out = []
        for i, s in enumerate(o.shipments):
            if not (happened(s.done_at, self.as_of) and happened(s.invoice_at, self.as_of)):
                continue
            lines = [(j, q) for j, q in enumerate(s.qtys) if q > 0]
            out.append(
                self._account_move(o, ("inv", i), "out_invoice", s.invoice_at, lines, line_ids)
            )
        return out

    def _account_move(
        self,
        o: Order,
        key: Any,
        move_type: str,
        at: dt.datetime,
        lines: list,
        line_ids: list[int],
        ref: str | bool = False,
        reversed_id: int | bool = False,
    ) -> dict:
        """A posted customer invoice or credit note with its journal items."""
        company = o.company
        move_id = self._id(o, key, "account.move")
        code = JOURNAL_CODES[company]["sale"]
        prefix = f"{code}/{at.year}/" if move_type == "out_invoice" else f"R{code}/{at.year}/"
        name = self._name(o, key, prefix)
        rate = TAX_RATE[company]
        untaxed = round(sum(q * o.lines[j].price for j, q in lines), 2)
        tax = round(sum(round(q * o.lines[j].price, 2) * rate for j, q in lines), 2)
        total = round(untaxed + tax, 2)
        sign = 1 if move_type == "out_invoice" else -1
        due = at + dt.timedelta(days=PAYMENT_TERMS[o.term][1])
        move = {
            "id": move_id,
            "name": name,
            "display_name": name,
            "move_type": move_type,
            "state": "posted",
            "partner_id": o.partner,
            "commercial_partner_id": o.partner,
            "invoice_date": day(at),
            "invoice_date_due": day(due),
            "date": day(at),
            "ref": ref or (o.shop["shop_order_id"] if o.shop else False),
            "invoice_origin": o.name,
            "amount_untaxed": untaxed,
            "amount_tax": tax,
            "amount_total": total,
            "amount_residual": total,
            "amount_total_signed": sign * total,
            "amount_untaxed_signed": sign * untaxed,
            "amount_residual_signed": sign * total,
            "currency_id": CURRENCY[company],
            "journal_id": self.m.journals[company, "sale"],
            "company_id": company,
            "reversed_entry_id": reversed_id,
            "invoice_user_id": o.user,
            "invoice_payment_term_id": PAYMENT_TERMS[o.term][0],
            "payment_reference": name,
            "payment_state": "not_paid",
            "created": at,
            "events": [],
        }
        items = [
            (
                self.m.accounts[company, "income"],
                o.lines[j].product["id"],
                o.lines[j].product["display_name"],
                q,
                o.lines[j].price,
                -sign * round(q * o.lines[j].price, 2),
                "product",
                [line_ids[j]] if j < len(line_ids) else [],
            )
            for j, q in lines
        ]
        if tax:
            items.append(
                (
                    self.m.accounts[company, "liability_current"],
                    False,
                    f"{rate * 100:g}%",
                    1.0,
                    0.0,
                    -sign * tax,
                    "tax",
                    [],
                )
            )
        items.append(
            (
                self.m.accounts[company, "asset_receivable"],
                False,
                name,
                1.0,
                0.0,
                sign * total,
                "payment_term",
                [],
            )
        )
        move["items"] = [
            self._id(o, (key, "aml", k), "account.move.line") for k in range(len(items))
        ]
        move["item_specs"] = items
        return move

    def _emit_move(self, o: Order, move: dict) -> None:
        specs, ids = move.pop("item_specs"), move.pop("items")
        created, events = move.pop("created"), move.pop("events")
        company = move["company_id"]
        row = self._row(
            "account.move",
            move["id"],
            created,
            events,
            **{k: v for k, v in move.items() if k != "id"},
        )
        for k, (account, product, label, qty, price, balance, kind, sale_lines) in enumerate(specs):
            receivable = kind == "payment_term"
            self._row(
                "account.move.line",
                ids[k],
                created,
                events if receivable else [],
                move_id=move["id"],
                move_name=move["name"],
                date=move["date"],
                account_id=account,
                partner_id=move["partner_id"],
                product_id=product,
                name=label,
                quantity=qty,
                price_unit=price,
                discount=0.0,
                debit=max(balance, 0.0),
                credit=max(-balance, 0.0),
                balance=balance,
                amount_currency=balance,
                amount_residual=(move["amount_residual_signed"] if receivable else 0.0),
                currency_id=move["currency_id"],
                display_type=kind,
                parent_state="posted",
                reconciled=receivable and move["amount_residual"] == 0,
                journal_id=move["journal_id"],
                tax_ids=[self.m.taxes[company]] if kind == "product" else [],
                sale_line_ids=sale_lines,
                purchase_line_id=False,
                company_id=company,
                move_type=move["move_type"],
                date_maturity=move["invoice_date_due"] if receivable else False,
                sequence=10 + k,
                price_subtotal=abs(balance) if kind == "product" else 0.0,
                price_total=abs(balance) if kind == "product" else 0.0,
                product_uom_id=1 if product else False,
                display_name=f"{move['name']} {label}",
            )
        return row

    def _payments(self, o: Order, invoices: list[dict]) -> None:
        """Payments registered in Odoo (with their journal entry) and the bank's lines."""
        by_index = {}
        k = 0
        for i, s in enumerate(o.shipments):
            if happened(s.done_at, self.as_of) and happened(s.invoice_at, self.as_of):
                by_index[i] = invoices[k]
                k += 1
        paid: dict[int, float] = {}
        for n, p in enumerate(o.payments):
            target = by_index.get(p.invoice)
            if target is None or not happened(p.at, self.as_of):
                continue
            total = target["amount_total"]
            done = paid.get(target["id"], 0.0)
            amount = round(total * p.share, 2) if p.share else round(total - done, 2)
            if p.in_odoo:
                paid[target["id"]] = round(done + amount, 2)
                target["events"].append(p.at)
                self._payment(o, n, p, target, amount)
            if p.in_bank:
                self._bank_line(o, n, p, target, amount)
        for move in invoices:
            self._settle(move, paid.get(move["id"], 0.0))
            self._emit_move(o, move)

    @staticmethod
    def _settle(move: dict, paid: float) -> None:
        total = move["amount_total"]
        residual = round(total - paid, 2)
        sign = 1 if move["move_type"] == "out_invoice" else -1
        move.update(
            amount_residual=residual,
            amount_residual_signed=sign * residual,
            payment_state="paid" if residual <= 0 else ("partial" if paid else "not_paid"),
        )

    def _payment(self, o: Order, n: int, p: Any, target: dict, amount: float) -> None:
        company = o.company
        pay_id = self._id(o, ("pay", n), "account.payment")
        entry_id = self._id(o, ("pay_move", n), "account.move")
        name = self._name(o, ("pay", n), f"P{JOURNAL_CODES[company]['bank']}/{p.at.year}/")
        inbound = target["move_type"] == "out_invoice"
        journal = self.m.journals[company, "bank"]
        display = f"{name} ({target['name']})"
        self._row(
            "account.payment",
            pay_id,
            p.at,
            [],
            name=name,
            display_name=name,
            payment_type="inbound" if inbound else "outbound",
            partner_type="customer",
            partner_id=o.partner,
            amount=amount,
            currency_id=CURRENCY[company],
            date=day(p.at),
            state="paid",
            journal_id=journal,
            payment_method_line_id=company,
            memo=target["name"],
            payment_reference=target["name"],
            is_reconciled=True,
            is_matched=False,
            reconciled_invoice_ids=[target["id"]],
            invoice_ids=[target["id"]],
            move_id=entry_id,
            company_id=company,
        )
        sign = 1 if inbound else -1
        self._row(
            "account.move",
            entry_id,
            p.at,
            [],
            name=name,
            display_name=display,
            move_type="entry",
            state="posted",
            partner_id=o.partner,
            commercial_partner_id=o.partner,
            date=day(p.at),
            invoice_date=False,
            invoice_date_due=False,
            ref=target["name"],
            invoice_origin=False,
            amount_untaxed=0.0,
            amount_tax=0.0,
            amount_total=amount,
            amount_residual=0.0,
            amount_total_signed=amount,
            amount_untaxed_signed=0.0,
            amount_residual_signed=0.0,
            currency_id=CURRENCY[company],
            journal_id=journal,
            company_id=company,
            reversed_entry_id=False,
            invoice_user_id=False,
            payment_state="not_paid",
        )
        for k, (account, balance) in enumerate(
            [
                (self.m.accounts[company, "asset_current"], sign * amount),
                (self.m.accounts[company, "asset_receivable"], -sign * amount),
            ]
        ):
            self._row(
                "account.move.line",
                self._id(o, ("pay_aml", n, k), "account.move.line"),
                p.at,
                [],
                move_id=entry_id,
                move_name=name,
                date=day(p.at),
                account_id=account,
                partner_id=o.partner,
                name=target["name"],
                quantity=1.0,
                debit=max(balance, 0.0),
                credit=max(-balance, 0.0),
                balance=balance,
                amount_currency=balance,
                amount_residual=0.0,
                currency_id=CURRENCY[company],
                display_type="product",
                parent_state="posted",
                reconciled=k == 1,
                journal_id=journal,
                company_id=company,
                move_type="entry",
                payment_id=pay_id,
                sequence=10 + k,
                display_name=name,
            )

    def _bank_line(self, o: Order, n: int, p: Any, target: dict, amount: float) -> None:
        company = o.company
        ref = self._name(o, ("bank", n), f"BNK-{CURRENCY_NAME[company]}-", 7)
        inbound = target["move_type"] == "out_invoice"
        counterparty = (
            "Shop Payments Ltd." if o.kind == "web" else self._display("res.partner", o.partner)
        )
        self.sink(
            "bank_lines",
            {
                "bank_line_ref": ref,
                "account_iban": IBAN[company],
                "booking_date": day(p.at),
                "value_date": day(p.at - dt.timedelta(days=n % 2)),
                "amount": amount if inbound else -amount,
                "currency": CURRENCY_NAME[company],
                "counterparty_name": counterparty,
                "remittance_info": target["name"],
                "company_id": company,
            },
        )

    # -- returns and credit notes ----------------------------------------------------------------

    def _return(
        self, o: Order, so_id: int, pickings: list, invoices: list, line_ids: list[int]
    ) -> None:
        r = o.ret
        if r is None or not happened(r.done_at, self.as_of) or not pickings:
            return
        original = pickings[0]
        picking = self._picking(
            o, "ret", r.done_at - dt.timedelta(hours=2), r.done_at, "incoming", False
        )
        picking.update(
            sale_id=so_id,
            return_id=original["id"],
            origin=f"Return of {original['name']}",
            location_id=self.m.locations["Customers"],
            partner_id=o.partner,
        )
        for j, qty in enumerate(r.qtys):
            if qty > 0:
                out_move = o.ids.get(("move", "out", 0, j), False)
                self._move(
                    o,
                    ("ret", j),
                    picking,
                    o.lines[j],
                    qty,
                    line_ids[j],
                    r.done_at,
                    returned=out_move,
                )
        if o.wh.code == "3PL" and happened(r.wms_at, self.as_of):
            self._wms_confirmations(o, picking, "receipt", r.qtys, "RCV", r.wms_at)
        self.sink("stock.picking", picking)
        if not happened(r.credit_at, self.as_of):
            return
        lines = [(j, q) for j, q in enumerate(r.qtys) if q > 0]
        first = invoices[0]["id"] if invoices else False
        credit = self._account_move(
            o,
            "credit",
            "out_refund",
            r.credit_at,
            lines,
            line_ids,
            ref=picking["name"],
            reversed_id=first,
        )
        self._refunds(o, credit)

    def _refunds(self, o: Order, credit: dict) -> None:
        paid = 0.0
        for n, p in enumerate(o.payments):
            if p.invoice == -1 and happened(p.at, self.as_of):
                amount = credit["amount_total"]
                if p.in_odoo:
                    paid += amount
                    credit["events"].append(p.at)
                    self._payment(o, n, p, credit, amount)
                if p.in_bank:
                    self._bank_line(o, n, p, credit, amount)
        self._settle(credit, paid)
        self._emit_move(o, credit)

    def _goodwill(self, o: Order, invoices: list) -> None:
        """A credit note nobody returned anything for (the scenario engine plans these)."""
        if not happened(o.goodwill_at, self.as_of) or not invoices:
            return
        credit = self._account_move(
            o,
            "goodwill",
            "out_refund",
            o.goodwill_at,
            [(0, 1.0)],
            [],
            ref="Goodwill",
            reversed_id=invoices[0]["id"],
        )
        self._settle(credit, 0.0)
        self._emit_move(o, credit)

    # -- the shop ----------------------------------------------------------------------------

    def _shop(self, o: Order) -> None:
        """The shop's order: paid at checkout, fulfilment and refunds mirrored from Odoo."""
        shop = o.shop
        if not happened(shop["created_at"], self.as_of):
            return
        cancelled = happened(shop["cancelled_at"], self.as_of)
        done = (
            [s.done_at for s in o.shipments if happened(s.done_at, self.as_of)] if o.in_odoo else []
        )
        events = [shop["created_at"], shop["cancelled_at"], *done]
        fulfillment = None
        if done:
            fulfillment = (
                "fulfilled"
                if len(done) == len(o.shipments) and not o.shipments[-1].partial
                else "partial"
            )
        financial = "voided" if cancelled else "paid"
        r = o.ret
        if (
            o.in_odoo
            and r
            and happened(r.credit_at, self.as_of)
            and happened(r.done_at, self.as_of)
        ):
            events.append(r.credit_at)
            financial = "partially_refunded"
        rate = TAX_RATE[o.company]
        total = round(sum(round(ln.qty * ln.price, 2) * (1 + rate) for ln in o.lines), 2)
        last = max(e for e in events if happened(e, self.as_of))
        self.sink(
            "shop_orders",
            {
                "shop_order_id": shop["shop_order_id"],
                "order_number": shop["order_number"],
                "email": shop["email"],
                "customer_name": shop["customer_name"],
                "currency": CURRENCY_NAME[o.company],
                "total_price": total,
                "financial_status": financial,
                "fulfillment_status": fulfillment,
                "cancelled_at": ts(shop["cancelled_at"]) if cancelled else None,
                "created_at": ts(shop["created_at"]),
                "updated_at": ts(last),
                "odoo_order_ref": o.name
                if o.in_odoo and happened(o.created_at, self.as_of)
                else None,
            },
        )
        for k, ln in enumerate(o.lines):
            self.sink(
                "shop_order_lines",
                {
                    "shop_order_id": shop["shop_order_id"],
                    "line_no": k + 1,
                    "sku": ln.product.get("shop_sku", ln.product["default_code"]),
                    "quantity": ln.qty,
                    "price": ln.price,
                },
            )

    # -- purchases ---------------------------------------------------------------------------

    def purchase(self, po: Purchase, as_of: dt.datetime) -> None:
        """A purchase order, its lines, and its receipts (with the 3PL's confirmations)."""
        self.as_of = as_of
        if not happened(po.created_at, as_of):
            return
        po_id = self._id(po, "po", "purchase.order")
        confirmed = happened(po.confirmed_at, as_of)
        state = (
            "cancel" if happened(po.cancelled_at, as_of) else ("purchase" if confirmed else "draft")
        )
        received = [0.0] * len(po.lines)
        for rc in po.receipts:
            if happened(rc.done_at, as_of):
                received = [a + b for a, b in zip(received, rc.qtys, strict=True)]
        company = po.wh.company
        events = [po.confirmed_at, po.cancelled_at, *(rc.done_at for rc in po.receipts)]
        line_ids = []
        for j, ln in enumerate(po.lines):
            line_id = self._id(po, ("line", j), "purchase.order.line")
            line_ids.append(line_id)
            subtotal = round(ln.qty * ln.price, 2)
            self._row(
                "purchase.order.line",
                line_id,
                po.created_at,
                events,
                order_id=po_id,
                product_id=ln.product["id"],
                name=ln.product["display_name"],
                display_name=f"{po.name}: {ln.product['display_name']}",
                sequence=10 + j,
                product_qty=ln.qty,
                product_uom_id=1,
                qty_received=received[j],
                qty_invoiced=0.0,
                price_unit=ln.price,
                price_subtotal=subtotal,
                price_total=subtotal,
                price_tax=0.0,
                date_planned=ts(po.planned_at),
                state=state,
                partner_id=po.vendor,
                company_id=company,
                qty_received_method="stock_moves",
                tax_ids=[],
            )
        self._receipts(po, po_id, line_ids, confirmed)
        full = all(r >= ln.qty for r, ln in zip(received, po.lines, strict=True))
        untaxed = round(sum(ln.qty * ln.price for ln in po.lines), 2)
        self._row(
            "purchase.order",
            po_id,
            po.created_at,
            events,
            name=po.name,
            display_name=po.name,
            state=state,
            partner_id=po.vendor,
            date_order=ts(po.confirmed_at if confirmed else po.created_at),
            date_approve=ts(po.confirmed_at) if confirmed else False,
            date_planned=ts(po.planned_at),
            user_id=ADMIN,
            company_id=company,
            currency_id=CURRENCY[company],
            amount_untaxed=untaxed,
            amount_tax=0.0,
            amount_total=untaxed,
            invoice_status="to invoice" if any(received) else "no",
            receipt_status=(("full" if full else "partial") if any(received) else "pending")
            if confirmed
            else False,
            origin=False,
            partner_ref=f"SO-{po.vendor}-{po_id}",
            picking_type_id=po.wh.types["incoming"],
            payment_term_id=False,
            effective_date=ts(min(rc.done_at for rc in po.receipts if happened(rc.done_at, as_of)))
            if any(received)
            else False,
        )

    def _receipts(self, po: Purchase, po_id: int, line_ids: list[int], confirmed: bool) -> None:
        if not confirmed:
            return
        created, previous = po.confirmed_at, False
        left = [ln.qty for ln in po.lines]
        for i, rc in enumerate(po.receipts):
            if not happened(created, self.as_of):
                break
            done = happened(rc.done_at, self.as_of)
            qtys = rc.qtys if done else left
            picking = self._picking(po, ("in", i), created, rc.done_at, "incoming", False)
            picking.update(purchase_id=po_id, backorder_id=previous)
            for j, qty in enumerate(qtys):
                if qty > 0:
                    self._move(
                        po,
                        ("in", i, j),
                        picking,
                        po.lines[j],
                        qty,
                        False,
                        rc.done_at,
                        purchase_line=line_ids[j],
                    )
            if po.wh.code == "3PL" and happened(rc.wms_at, self.as_of):
                partial = any(q < lf for q, lf in zip(rc.qtys, left, strict=True))
                status = "PRT" if partial else "RCV"
                self._wms_confirmations(po, picking, "receipt", rc.qtys, status, rc.wms_at)
            self.sink("stock.picking", picking)
            previous, created = picking["id"], rc.done_at
            left = [a - b for a, b in zip(left, rc.qtys, strict=True)]
