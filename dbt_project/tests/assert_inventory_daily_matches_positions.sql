-- Assert that the last daily inventory snapshot equals the current positions from quants:
-- Odoo keeps quants equal to the sum of done moves, so rebuilding stock from moves must
-- land on the same on-hand quantity per product and warehouse as of today.
with

positions as (

    select * from {{ ref('fct_inventory_positions') }}

),

daily as (

    select * from {{ ref('fct_inventory_daily') }}

),

last_day as (

    select max(snapshot_date) as snapshot_date from daily

),

latest as (

    select daily.*

    from daily

    inner join last_day
        on daily.snapshot_date = last_day.snapshot_date

)

select
    coalesce(positions.product_id, latest.product_id) as product_id,
    coalesce(positions.warehouse_id, latest.warehouse_id) as warehouse_id,
    positions.on_hand_qty as quant_qty,
    latest.on_hand_qty as move_qty

from positions

full outer join latest
    on
        positions.product_id = latest.product_id
        and positions.warehouse_id = latest.warehouse_id

where coalesce(positions.on_hand_qty, 0) != coalesce(latest.on_hand_qty, 0)
