with

pickings as (

    select * from {{ ref('int_pickings_summarised') }}

),

orders as (

    select * from {{ ref('int_sale_order_lines_enriched') }}

),

order_promises as (

    select
        sale_order_id,
        min(channel) as channel,
        min(promised_at) as promised_at

    from orders

    group by sale_order_id

),

final as (

    select
        -- ids
        pickings.picking_id,
        pickings.sale_order_id,
        pickings.partner_id as customer_id,
        pickings.company_id,
        pickings.warehouse_id,
        pickings.backorder_of_picking_id,

        -- dimensions
        pickings.picking_ref,
        pickings.order_ref,
        order_promises.channel,
        pickings.picking_state,
        pickings.picking_status,
        pickings.is_backorder,
        pickings.done_at <= order_promises.promised_at as is_on_time,

        -- measures
        pickings.demand_qty,
        pickings.done_qty as shipped_qty,
        pickings.done_value as shipped_cost,

        -- timestamps
        pickings.scheduled_at,
        order_promises.promised_at,
        pickings.done_at as shipped_at,
        {{ utc_date('pickings.done_at') }} as shipped_date

    from pickings

    left join order_promises
        on pickings.sale_order_id = order_promises.sale_order_id

    where pickings.picking_kind = 'delivery'

)

select * from final
