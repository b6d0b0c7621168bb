"""Stock that adds up: opening inventory, cycle counts, quants, and the 3PL's own view of it.

Quants are derived, never invented: for every internal location, quantity = the sum of the done
moves into it minus those out of it. The opening inventory is sized after the business is
planned, so no location ever goes negative. The 3PL's WMS keeps its own ledger (its own
timestamps, which run ahead of Odoo's validations) from which its snapshots are taken.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import accumulate

from .documents import Writer, wms_sku
from .master import Master
from .world import ADMIN, World, ts

ADJUSTMENT_REF = "Product Quantity Updated"


def opening_and_counts(w: World, m: Master, writer: Writer) -> None:
    """Cycle counts through the timeline, then the opening inventory that covers everything."""
    counts = _cycle_counts(w, m, writer)
    opening_at = w.start + dt.timedelta(hours=2)
    events: dict[tuple[int, int], list[tuple[str, float]]] = defaultdict(list)
    for product, location, qty, at in writer.ledger:
        events[product, location].append((at, qty))
    wms_events: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for product, qty, at, _kind in writer.wms_ledger:
        wms_events[product].append((at, qty))
    reserved: dict[tuple[int, int], float] = defaultdict(float)
    for product, location, qty in writer.reserved:
        reserved[product, location] += qty
    three_pl = m.warehouses["3PL"].stock
    for (product, code), location in sorted(m.homes.items()):
        low = _lowest(events[product, location])
        if code == "3PL" and location == three_pl:
            low = min(low, _lowest(wms_events[product]))
        final = sum(q for _, q in events[product, location])
        need = max(-low, reserved[product, location] - final, 0.0)
        qty = float(int(need) + w.rng.randint(5, 60))
        _adjust(w, m, writer, product, location, qty, opening_at, opening=True)
    w.quant_counts = counts


def _lowest(events: list[tuple[str, float]]) -> float:
    if not events:
        return 0.0
    return min(0.0, *accumulate(q for _, q in sorted(events)))


def _cycle_counts(w: World, m: Master, writer: Writer) -> dict[tuple[int, int], str]:
    """Each month a few stocked locations are counted; small differences are adjusted."""
    rng, counted = w.rng, {}
    homes = sorted(m.homes.items())
    for on in w.days()[::30]:
        for (product, _code), location in rng.sample(homes, max(1, len(homes) // 20)):
            at = w.working_time(on)
            diff = float(rng.choice([-2, -1, 1, 1, 2, 3]))
            _adjust(w, m, writer, product, location, diff, at, opening=False)
            counted[product, location] = ts(at)
    return counted


def _adjust(
    w: World,
    m: Master,
    writer: Writer,
    product: int,
    location: int,
    qty: float,
    at: dt.datetime,
    opening: bool,
) -> None:
    """An inventory adjustment: a done move between the location and Inventory adjustment."""
    loc = w.get("stock.location", location)
    company = loc["company_id"]
    virtual = m.locations[f"Inventory adjustment/{company}"]
    src, dest = (virtual, location) if qty > 0 else (location, virtual)
    prod = w.get("product.product", product)
    stamp = ts(at)
    move_id = w.new_id("stock.move")
    common = dict(
        product_id=product,
        location_id=src,
        location_dest_id=dest,
        state="done",
        date=stamp,
        reference=ADJUSTMENT_REF,
        company_id=company,
        picked=True,
        picking_id=False,
    )
    amount = abs(qty)
    _append(
        w,
        "stock.move",
        stamp,
        stamp,
        id=move_id,
        display_name=f"{prod['default_code']}: {ADJUSTMENT_REF}",
        product_uom_qty=amount,
        quantity=amount,
        product_qty=amount,
        product_uom=1,
        price_unit=prod["standard_price"],
        value=round(amount * prod["standard_price"], 2),
        is_in=qty > 0,
        is_out=qty < 0,
        origin=False,
        sequence=10,
        warehouse_id=loc["warehouse_id"],
        picking_type_id=False,
        sale_line_id=False,
        purchase_line_id=False,
        **common,
    )
    _append(
        w,
        "stock.move.line",
        stamp,
        stamp,
        move_id=move_id,
        display_name=prod["display_name"],
        quantity=amount,
        quantity_product_uom=amount,
        product_uom_id=1,
        **common,
    )
    writer.ledger.append((product, location, qty, stamp))
    if loc["warehouse_id"] == m.warehouses["3PL"].id:  # counted in the WMS at the same moment
        writer.wms_ledger.append((product, qty, stamp, "opening" if opening else "count"))


def _append(w: World, model: str, created: str, written: str, **values: object) -> None:
    """A derived record, written straight into the world (new id unless `values` has one)."""
    rec_id = values.pop("id", None) or w.new_id(model)
    w.rows[model].append(
        dict(
            id=rec_id,
            active=True,
            create_uid=ADMIN,
            write_uid=ADMIN,
            create_date=created,
            write_date=written,
            **values,
        )
    )


def quants(w: World, m: Master, writer: Writer) -> None:
    """One quant per product and internal location, summing its done moves."""
    totals: dict[tuple[int, int], float] = defaultdict(float)
    first: dict[tuple[int, int], str] = {}
    for product, location, qty, at in writer.ledger:
        totals[product, location] += qty
        first[product, location] = min(first.get((product, location), at), at)
    reserved: dict[tuple[int, int], float] = defaultdict(float)
    for product, location, qty in writer.reserved:
        reserved[product, location] += qty
    counts = getattr(w, "quant_counts", {})
    for key in sorted(totals):
        product, location = key
        prod, loc = w.get("product.product", product), w.get("stock.location", location)
        qty = round(totals[key], 4)
        held = min(qty, reserved[key])
        created = first[key]
        _append(
            w,
            "stock.quant",
            created,
            counts.get(key, created),
            display_name=f"{prod['display_name']} - {loc['complete_name']}",
            product_id=product,
            product_tmpl_id=prod["product_tmpl_id"],
            product_uom_id=1,
            product_categ_id=prod["categ_id"],
            company_id=loc["company_id"],
            location_id=location,
            warehouse_id=loc["warehouse_id"],
            quantity=qty,
            reserved_quantity=held,
            available_quantity=qty - held,
            in_date=created,
            tracking="none",
            on_hand=True,
            inventory_quantity=0.0,
            inventory_diff_quantity=0.0,
            inventory_date="2026-12-31",
            last_count_date=counts[key][:10] if key in counts else False,
            inventory_quantity_set=False,
            currency_id=1 if loc["company_id"] == 1 else 2,
        )


def product_quantities(w: World, m: Master) -> None:
    """qty_available & co. as Odoo computes them: internal quants of all companies."""
    on_hand: dict[int, float] = defaultdict(float)
    free: dict[int, float] = defaultdict(float)
    for q in w.rows["stock.quant"]:
        on_hand[q["product_id"]] += q["quantity"]
        free[q["product_id"]] += q["quantity"] - q["reserved_quantity"]
    incoming: dict[int, float] = defaultdict(float)
    outgoing: dict[int, float] = defaultdict(float)
    customers, vendors = m.locations["Customers"], m.locations["Vendors"]
    for mv in w.rows["stock.move"]:
        if mv["state"] == "assigned":
            if mv["location_dest_id"] == customers:
                outgoing[mv["product_id"]] += mv["product_uom_qty"]
            elif mv["location_id"] == vendors:
                incoming[mv["product_id"]] += mv["product_uom_qty"]
    per_tmpl: dict[int, float] = defaultdict(float)
    for prod in w.rows["product.product"]:
        pid = prod["id"]
        qty = on_hand.get(pid, 0.0)
        prod.update(
            qty_available=qty,
            virtual_available=qty + incoming[pid] - outgoing[pid],
            free_qty=free.get(pid, 0.0),
            incoming_qty=incoming[pid],
            outgoing_qty=outgoing[pid],
        )
        per_tmpl[prod["product_tmpl_id"]] += qty
    for tmpl in w.rows["product.template"]:
        qty = per_tmpl.get(tmpl["id"], 0.0)
        tmpl.update(qty_available=qty, virtual_available=qty)


def product_values(w: World, m: Master) -> None:
    """product.value (new in 19): the initial cost of each storable product per company."""
    at = ts(w.start + dt.timedelta(hours=1))
    for prod in m.goods:
        for company in (1, 2):
            _append(
                w,
                "product.value",
                at,
                at,
                product_id=prod["id"],
                lot_id=False,
                move_id=False,
                value=prod["standard_price"],
                company_id=company,
                currency_id=company,
                date=at,
                user_id=ADMIN,
                description="Initial cost",
                display_name=f"{prod['default_code']} Initial cost",
            )


def wms_snapshots(w: World, m: Master, writer: Writer) -> None:
    """The 3PL's stock per SKU and bin: daily at 23:00 for a while, then hourly up to as_of."""
    times = _snapshot_times(w)
    by_product: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for product, qty, at, _kind in writer.wms_ledger:
        by_product[product].append((at, qty))
    alloc: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for product, qty, at in writer.wms_alloc:
        alloc[product].append((at, qty))
    for product in sorted(by_product):
        sku = wms_sku(w.get("product.product", product)["default_code"])
        on_hand = _levels(by_product[product], times)
        allocated = _levels(alloc[product], times)
        bin_code = f"B-{product % 40 + 1:02d}-{product % 7 + 1:02d}"
        for at, qty, held in zip(times, on_hand, allocated, strict=True):
            w.tables["wms_stock_snapshots"].append(
                {
                    "snapshot_at": at,
                    "warehouse_code": "3PL",
                    "wms_sku": sku,
                    "location_code": bin_code,
                    "qty_on_hand": qty,
                    "qty_allocated": max(0.0, min(held, qty)),
                }
            )


def _snapshot_times(w: World) -> list[str]:
    s = w.scale
    last_hour = w.as_of.replace(minute=0, second=0)
    hourly = [last_hour - dt.timedelta(hours=h) for h in range(s.wms_hourly_hours)]
    first_hourly = min(hourly)
    daily = [
        dt.datetime.combine(last_hour.date() - dt.timedelta(days=d), dt.time(23))
        for d in range(2, s.wms_daily_days + 1)
    ]
    return sorted(ts(t) for t in [*daily, *hourly] if t < first_hourly or t in hourly)


def _levels(events: list[tuple[str, float]], times: list[str]) -> list[float]:
    """The running sum of `events` at each of `times` (both sorted by text = by time)."""
    events = sorted(events)
    out, total, k = [], 0.0, 0
    for at in times:
        while k < len(events) and events[k][0] <= at:
            total += events[k][1]
            k += 1
        out.append(round(total, 4))
    return out


def wms_aliases(w: World, m: Master) -> None:
    for (product, code), _loc in sorted(m.homes.items()):
        if code == "3PL":
            sku = w.get("product.product", product)["default_code"]
            w.tables["wms_sku_aliases"].append({"sku": sku, "wms_sku": wms_sku(sku)})
