{{ config(materialized='table', post_hook=['analyze {{ this }}']) }}

{#
    One row per Odoo transfer with what its moves did: the transfer's kind (the kind of
    its moves: delivery, customer_return, receipt, ...), its warehouse, quantities and
    cost value (done moves only), the purchase order its receipt lines belong to, and the
    canonical transfer status.
#}
with

pickings as (

    select * from {{ ref('stg_odoo__stock_pickings') }}

),

moves as (

    select * from {{ ref('int_stock_moves_classified') }}

),

purchase_lines as (

    select * from {{ ref('stg_odoo__purchase_order_lines') }}

),

picking_moves as (

    select
        moves.picking_id,
        min(moves.move_kind) as picking_kind,
        min(moves.warehouse_id) as warehouse_id,
        min(purchase_lines.purchase_order_id) as purchase_order_id,
        count(*) as move_count,
        sum(moves.demand_qty) as demand_qty,
        coalesce(sum(moves.quantity) filter (where moves.is_done), 0) as done_qty,
        coalesce(sum(moves.move_value) filter (where moves.is_done), 0) as done_value,
        max(moves.updated_at) as moves_updated_at

    from moves

    left join purchase_lines
        on moves.purchase_order_line_id = purchase_lines.purchase_order_line_id

    where moves.picking_id is not null

    group by moves.picking_id

),

final as (

    select
        -- ids
        pickings.picking_id,
        pickings.sale_order_id,
        picking_moves.purchase_order_id,
        pickings.partner_id,
        pickings.company_id,
        picking_moves.warehouse_id,
        pickings.backorder_of_picking_id,
        pickings.returned_picking_id,

        -- dimensions
        pickings.picking_ref,
        pickings.order_ref,
        pickings.origin,
        pickings.picking_type_name,
        coalesce(picking_moves.picking_kind, 'other') as picking_kind,
        pickings.picking_state,
        coalesce(picking_status.canonical_status, 'unmapped') as picking_status,
        pickings.backorder_of_picking_id is not null as is_backorder,

        -- measures
        coalesce(picking_moves.move_count, 0) as move_count,
        coalesce(picking_moves.demand_qty, 0) as demand_qty,
        coalesce(picking_moves.done_qty, 0) as done_qty,
        coalesce(picking_moves.done_value, 0) as done_value,

        -- timestamps
        pickings.scheduled_at,
        pickings.deadline_at,
        pickings.done_at,
        pickings.created_at,
        greatest(pickings.updated_at, picking_moves.moves_updated_at) as source_updated_at

    from pickings

    left join picking_moves
        on pickings.picking_id = picking_moves.picking_id

    {{ map_status('odoo', 'stock_picking', 'pickings.picking_state', 'picking_status') }}

)

select * from final
