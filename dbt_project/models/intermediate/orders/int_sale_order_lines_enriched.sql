{{ config(materialized='table', post_hook=['analyze {{ this }}']) }}

{#
    Each Odoo sales order line with its order's context (company, warehouse, channel,
    canonical status, promise date) and what the warehouse did for it: shipped and
    returned quantities, cost of goods from the done moves' valuation, first and last
    shipment. The base of fct_order_lines and of the order-level KPIs.
#}
with

lines as (

    select * from {{ ref('stg_odoo__sale_order_lines') }}

),

orders as (

    select * from {{ ref('stg_odoo__sale_orders') }}

),

moves as (

    select * from {{ ref('int_stock_moves_classified') }}

),

pickings as (

    select * from {{ ref('stg_odoo__stock_pickings') }}

),

line_moves as (

    select
        moves.sale_order_line_id,
        sum(moves.quantity) filter (where moves.move_kind = 'delivery') as shipped_qty,
        -- The first delivery is the one that is no backorder of another.
        sum(moves.quantity) filter (
            where moves.move_kind = 'delivery' and pickings.backorder_of_picking_id is null
        ) as first_shipment_qty,
        sum(moves.quantity) filter (where moves.move_kind = 'customer_return') as returned_qty,
        sum(moves.move_value) filter (where moves.move_kind = 'delivery') as shipped_cost,
        sum(moves.move_value) filter (where moves.move_kind = 'customer_return') as returned_cost,
        min(moves.moved_at) filter (where moves.move_kind = 'delivery') as first_shipped_at,
        max(moves.moved_at) filter (where moves.move_kind = 'delivery') as last_shipped_at,
        max(moves.updated_at) as moves_updated_at

    from moves

    left join pickings
        on moves.picking_id = pickings.picking_id

    where
        moves.is_done
        and moves.sale_order_line_id is not null

    group by moves.sale_order_line_id

),

orders_mapped as (

    select
        orders.*,
        coalesce(order_status.canonical_status, 'unmapped') as order_status,
        -- Web orders come from the shop (Odoo's origin 'Web Shop', the shop's id as
        -- customer reference); everything else is sold business to business.
        case
            when orders.origin = 'Web Shop' or orders.client_order_ref like 'SHOP-%' then 'web'
            else 'b2b'
        end as channel,
        coalesce(
            orders.committed_at,
            orders.ordered_at + interval '{{ var("default_promise_days") }} days'
        ) as promised_at

    from orders

    {{ map_status('odoo', 'sale_order', 'orders.order_state', 'order_status') }}

),

final as (

    select
        -- ids
        lines.sale_order_line_id,
        lines.sale_order_id,
        lines.product_id,
        orders_mapped.customer_id,
        orders_mapped.company_id,
        orders_mapped.warehouse_id,
        lines.currency_id,

        -- dimensions
        orders_mapped.order_ref,
        orders_mapped.client_order_ref,
        orders_mapped.channel,
        lines.line_state,
        coalesce(line_status.canonical_status, 'unmapped') as line_status,
        orders_mapped.order_status,
        lines.currency_code,

        -- measures
        lines.ordered_qty,
        lines.delivered_qty,
        lines.invoiced_qty,
        lines.to_invoice_qty,
        coalesce(line_moves.shipped_qty, 0) as shipped_qty,
        coalesce(line_moves.first_shipment_qty, 0) as first_shipment_qty,
        coalesce(line_moves.returned_qty, 0) as returned_qty,
        lines.price_unit,
        lines.discount_percent,
        lines.amount_untaxed,
        lines.amount_total,
        round(lines.price_unit * (1 - coalesce(lines.discount_percent, 0) / 100), 6)
            as net_unit_price,
        coalesce(line_moves.shipped_cost, 0) - coalesce(line_moves.returned_cost, 0)
            as cost_of_goods,

        -- timestamps
        orders_mapped.ordered_at,
        orders_mapped.promised_at,
        line_moves.first_shipped_at,
        line_moves.last_shipped_at,
        greatest(lines.updated_at, orders_mapped.updated_at, line_moves.moves_updated_at)
            as source_updated_at

    from lines

    inner join orders_mapped
        on lines.sale_order_id = orders_mapped.sale_order_id

    left join line_moves
        on lines.sale_order_line_id = line_moves.sale_order_line_id

    {{ map_status('odoo', 'sale_order_line', 'lines.line_state', 'line_status') }}

)

select * from final
