-- Odoo vs WMS on hand per SKU x warehouse at the WMS's latest snapshot, net of 3PL
-- confirmations Odoo has not validated yet, and since when the difference is out of
-- tolerance (from the hourly snapshot history).
with

snapshots as (

    select * from {{ ref('stg_wms__stock_snapshots') }}

),

items as (

    select * from {{ ref('stg_wms__items') }}

),

confirmations as (

    select * from {{ ref('stg_wms__confirmations') }}

),

positions as (

    select * from {{ ref('fct_inventory_positions') }}

),

moves as (

    select * from {{ ref('int_stock_moves_classified') }}

),

pickings as (

    select * from {{ ref('stg_odoo__stock_pickings') }}

),

warehouses as (

    select * from {{ ref('stg_odoo__warehouses') }}

),

products as (

    select * from {{ ref('stg_odoo__products') }}

),

-- One product per SKU (an archived twin must not double a row).
products_by_sku as (

    select distinct on (default_code)
        default_code,
        product_id,
        standard_price

    from products

    where default_code is not null

    order by default_code asc, is_active desc, product_id asc

),

wms_stock as (

    select
        snapshots.snapshot_at,
        snapshots.warehouse_code,
        items.sku,
        sum(snapshots.on_hand_qty) as wms_qty

    from snapshots

    inner join items
        on snapshots.item_code = items.item_code

    group by snapshots.snapshot_at, snapshots.warehouse_code, items.sku

),

snapshot_hours as (

    select distinct
        warehouse_code,
        snapshot_at

    from wms_stock

),

odoo_stock as (

    select
        positions.sku,
        positions.warehouse_code,
        sum(positions.on_hand_qty) as odoo_qty

    from positions

    group by positions.sku, positions.warehouse_code

),

-- Every mapped SKU either system holds in a warehouse the WMS reports on.
pairs as (

    select distinct
        wms_stock.sku,
        wms_stock.warehouse_code

    from wms_stock

    union

    select
        odoo_stock.sku,
        odoo_stock.warehouse_code

    from odoo_stock

    inner join items
        on odoo_stock.sku = items.sku

    where odoo_stock.warehouse_code in (select snapshot_hours.warehouse_code from snapshot_hours)

),

-- Done moves that changed a warehouse's stock since the first snapshot.
warehouse_moves as (

    select
        products.default_code as sku,
        warehouses.warehouse_code,
        moves.stock_qty_change as signed_qty,
        moves.moved_at

    from moves

    inner join warehouses
        on moves.warehouse_id = warehouses.warehouse_id

    inner join products
        on moves.product_id = products.product_id

    where
        moves.is_done
        and moves.stock_qty_change != 0
        and moves.moved_at > (
            select min(snapshot_hours.snapshot_at) as first_snapshot_at from snapshot_hours
        )

),

-- 3PL confirmations with the time Odoo validated their picking (null: not yet).
confirmed_moves as (

    select
        items.sku,
        pickings.done_at as validated_at,
        confirmations.confirmed_at,
        case
            when confirmations.confirmation_type = 'shipment' then confirmations.quantity
            else -confirmations.quantity
        end as pending_qty

    from confirmations

    inner join items
        on confirmations.item_code = items.item_code

    left join pickings
        on confirmations.picking_ref = pickings.picking_ref

    {{ map_status('wms', 'shipment_confirmation', 'confirmations.status_code', 'wms_status') }}

    where coalesce(wms_status.canonical_status, 'unmapped') != 'cancelled'

),

grid as (

    select
        pairs.sku,
        pairs.warehouse_code,
        snapshot_hours.snapshot_at

    from pairs

    inner join snapshot_hours
        on pairs.warehouse_code = snapshot_hours.warehouse_code

),

-- Done moves after each snapshot: Odoo then = Odoo now minus what moved since.
moves_after as (

    select
        grid.sku,
        grid.warehouse_code,
        grid.snapshot_at,
        sum(warehouse_moves.signed_qty) as moved_qty

    from grid

    inner join warehouse_moves
        on
            grid.sku = warehouse_moves.sku
            and grid.warehouse_code = warehouse_moves.warehouse_code
            and grid.snapshot_at < warehouse_moves.moved_at

    group by grid.sku, grid.warehouse_code, grid.snapshot_at

),

-- What the 3PL had confirmed at each snapshot but Odoo had not validated yet.
pending_then as (

    select
        grid.sku,
        grid.warehouse_code,
        grid.snapshot_at,
        sum(confirmed_moves.pending_qty) as pending_qty

    from grid

    inner join confirmed_moves
        on
            grid.sku = confirmed_moves.sku
            and grid.snapshot_at >= confirmed_moves.confirmed_at
            and (
                confirmed_moves.validated_at is null
                or grid.snapshot_at < confirmed_moves.validated_at
            )

    group by grid.sku, grid.warehouse_code, grid.snapshot_at

),

-- Joins, not correlated subqueries: one pass over moves and confirmations per build.
history as (

    select
        grid.sku,
        grid.warehouse_code,
        grid.snapshot_at,
        coalesce(wms_stock.wms_qty, 0) as wms_qty,
        coalesce(odoo_stock.odoo_qty, 0) - coalesce(moves_after.moved_qty, 0) as odoo_qty,
        coalesce(pending_then.pending_qty, 0) as pending_qty

    from grid

    left join wms_stock
        on
            grid.sku = wms_stock.sku
            and grid.warehouse_code = wms_stock.warehouse_code
            and grid.snapshot_at = wms_stock.snapshot_at

    left join odoo_stock
        on
            grid.sku = odoo_stock.sku
            and grid.warehouse_code = odoo_stock.warehouse_code

    left join moves_after
        on
            grid.sku = moves_after.sku
            and grid.warehouse_code = moves_after.warehouse_code
            and grid.snapshot_at = moves_after.snapshot_at

    left join pending_then
        on
            grid.sku = pending_then.sku
            and grid.warehouse_code = pending_then.warehouse_code
            and grid.snapshot_at = pending_then.snapshot_at

),

measured as (

    select
        *,
        wms_qty - (odoo_qty - pending_qty) as difference_qty,
        greatest(
            {{ tolerance('inventory_drift') }},
            coalesce({{ tolerance('inventory_drift', 'percent') }}, 0) / 100 * abs(odoo_qty)
        ) as tolerance_qty

    from history

),

flagged as (

    select
        *,
        abs(difference_qty) <= tolerance_qty as is_within_tolerance,
        max(snapshot_at) over (partition by sku, warehouse_code) as latest_snapshot_at,
        min(snapshot_at) over (partition by sku, warehouse_code) as first_snapshot_at,
        max(case when abs(difference_qty) <= tolerance_qty then snapshot_at end)
            over (partition by sku, warehouse_code) as last_within_at

    from measured

),

-- The first snapshot after the pair was last within tolerance.
out_since as (

    select
        sku,
        warehouse_code,
        min(snapshot_at) filter (where snapshot_at > last_within_at) as since_at

    from flagged

    group by sku, warehouse_code

),

final as (

    select
        -- ids
        flagged.sku,
        flagged.warehouse_code,
        products_by_sku.product_id,

        -- dimensions
        flagged.is_within_tolerance,

        -- measures
        flagged.wms_qty,
        flagged.odoo_qty,
        flagged.pending_qty,
        flagged.odoo_qty - flagged.pending_qty as expected_wms_qty,
        flagged.difference_qty,
        flagged.tolerance_qty,
        abs(flagged.difference_qty) * products_by_sku.standard_price as difference_value,

        -- timestamps
        flagged.snapshot_at,
        case
            when not flagged.is_within_tolerance
                then coalesce(out_since.since_at, flagged.first_snapshot_at)
        end as out_of_tolerance_since

    from flagged

    left join products_by_sku
        on flagged.sku = products_by_sku.default_code

    left join out_since
        on
            flagged.sku = out_since.sku
            and flagged.warehouse_code = out_since.warehouse_code

    where flagged.snapshot_at = flagged.latest_snapshot_at

)

select * from final
