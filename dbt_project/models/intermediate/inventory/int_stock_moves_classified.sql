{{ config(materialized='table', post_hook=['analyze {{ this }}']) }}

{#
    Every Odoo stock move with what it means for a warehouse's own stock: its kind (from
    the usages of its source and destination locations), the warehouse whose internal
    stock it changes, and the signed quantity and value it adds to that stock. Moves
    between two internal locations of one warehouse change nothing and get 0.
#}
with

moves as (

    select * from {{ ref('stg_odoo__stock_moves') }}

),

locations as (

    select * from {{ ref('stg_odoo__stock_locations') }}

),

located as (

    select
        moves.*,
        source_locations.location_usage as source_usage,
        destination_locations.location_usage as destination_usage,
        source_locations.warehouse_id as source_warehouse_id,
        destination_locations.warehouse_id as destination_warehouse_id

    from moves

    inner join locations as source_locations
        on moves.source_location_id = source_locations.location_id

    inner join locations as destination_locations
        on moves.destination_location_id = destination_locations.location_id

),

classified as (

    select
        *,
        case
            when source_usage = 'internal' and destination_usage = 'customer' then 'delivery'
            when source_usage = 'customer' and destination_usage = 'internal' then 'customer_return'
            when source_usage = 'supplier' and destination_usage = 'internal' then 'receipt'
            when source_usage = 'internal' and destination_usage = 'supplier' then 'vendor_return'
            when source_usage = 'inventory' and destination_usage = 'internal' then 'adjustment'
            when source_usage = 'internal' and destination_usage = 'inventory' then 'adjustment'
            when source_usage = 'internal' and destination_usage = 'internal' then 'internal'
            else 'other'
        end as move_kind,
        case
            when destination_usage = 'internal' and source_usage != 'internal' then 1
            when source_usage = 'internal' and destination_usage != 'internal' then -1
            else 0
        end as stock_sign

    from located

),

final as (

    select
        -- ids
        classified.move_id,
        classified.product_id,
        classified.picking_id,
        classified.sale_order_line_id,
        classified.purchase_order_line_id,
        classified.returned_move_id,
        classified.company_id,
        case
            when classified.stock_sign = 1 then classified.destination_warehouse_id
            else classified.source_warehouse_id
        end as warehouse_id,

        -- dimensions
        classified.move_ref,
        classified.move_state,
        classified.move_kind,
        classified.move_state = 'done' as is_done,

        -- measures
        classified.demand_qty,
        classified.quantity,
        classified.stock_sign * classified.quantity as stock_qty_change,
        abs(classified.value) as move_value,
        classified.stock_sign * abs(classified.value) as stock_value_change,

        -- timestamps
        classified.moved_at,
        {{ utc_date('classified.moved_at') }} as moved_date,
        classified.deadline_at,
        classified.updated_at

    from classified

)

select * from final
