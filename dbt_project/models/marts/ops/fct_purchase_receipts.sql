with

pickings as (

    select * from {{ ref('int_pickings_summarised') }}

),

purchase_orders as (

    select * from {{ ref('stg_odoo__purchase_orders') }}

),

final as (

    select
        -- ids
        pickings.picking_id as receipt_id,
        pickings.purchase_order_id,
        purchase_orders.vendor_id,
        pickings.company_id,
        pickings.warehouse_id,

        -- dimensions
        pickings.picking_ref as receipt_ref,
        purchase_orders.order_ref as purchase_order_ref,
        pickings.picking_status as receipt_status,
        pickings.is_backorder,
        {{ utc_date('pickings.done_at') }} <= {{ utc_date('purchase_orders.planned_at') }}
            as is_on_time,

        -- measures
        pickings.demand_qty,
        pickings.done_qty as received_qty,
        pickings.done_value as received_value,
        round(
            extract(epoch from pickings.done_at - purchase_orders.approved_at) / 86400.0, 2
        ) as lead_time_days,

        -- timestamps
        purchase_orders.ordered_at,
        purchase_orders.approved_at,
        purchase_orders.planned_at,
        pickings.done_at as received_at,
        {{ utc_date('pickings.done_at') }} as received_date

    from pickings

    left join purchase_orders
        on pickings.purchase_order_id = purchase_orders.purchase_order_id

    where
        pickings.picking_kind = 'receipt'
        and pickings.purchase_order_id is not null

)

select * from final
