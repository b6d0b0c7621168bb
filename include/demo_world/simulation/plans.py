"""Plans: each document's whole life, decided when it starts, written out as of a moment.

A plan holds event times (None = never happens). Rows are a pure function of (plan, as_of): an
event after `as_of` has not happened yet. That lets the scenario engine edit plans before they
are written, and the live trader write the same plans again later with a newer `as_of`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .master import Warehouse

Moment = dt.datetime | None


def happened(moment: Moment, as_of: dt.datetime) -> bool:
    return moment is not None and moment <= as_of


@dataclass
class Line:
    product: dict[str, Any]
    qty: float
    price: float
    zeroed_at: Moment = None  # substituted: quantity set to 0, a substitute line follows


@dataclass
class Shipment:
    """One delivery picking (the first, or a backorder): what leaves, and when each system knows."""

    qtys: list[float]  # per order line
    wms_at: Moment  # the 3PL's shipment confirmation (3PL only)
    done_at: Moment  # validated in Odoo
    invoice_at: Moment  # invoiced in Odoo
    carrier: list[tuple[str, dt.datetime]] = field(default_factory=list)
    carrier_name: str = ""
    partial: bool = False  # a backorder follows


@dataclass
class Payment:
    at: dt.datetime
    share: float | None  # fraction of the invoice total; None = what is still due
    invoice: int  # index of the shipment whose invoice it pays; -1 = the credit note (refund)
    in_odoo: bool = True
    in_bank: bool = True


@dataclass
class Return:
    qtys: list[float]
    done_at: dt.datetime
    wms_at: Moment
    credit_at: Moment


@dataclass
class Order:
    """A sale order's life: quotation, confirmation, shipments, invoices, payments, return."""

    kind: str  # web | b2b
    name: str
    wh: Warehouse
    partner: int
    user: int
    term: str
    created_at: dt.datetime
    confirmed_at: Moment
    lines: list[Line]
    shipments: list[Shipment] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    ret: Return | None = None
    cancelled_at: Moment = None  # in Odoo
    sent_at: Moment = None
    goodwill_at: Moment = None  # a credit note without a return
    shop: dict[str, Any] | None = None  # the shop's order (web only)
    in_odoo: bool = True
    ids: dict[Any, Any] = field(default_factory=dict)  # ids and names given on first write

    @property
    def company(self) -> int:
        return self.wh.company


@dataclass
class Receipt:
    qtys: list[float]
    wms_at: Moment
    done_at: Moment


@dataclass
class Purchase:
    name: str
    wh: Warehouse
    vendor: int
    created_at: dt.datetime
    confirmed_at: Moment
    planned_at: dt.datetime
    lines: list[Line]
    receipts: list[Receipt] = field(default_factory=list)
    cancelled_at: Moment = None
    ids: dict[Any, Any] = field(default_factory=dict)
