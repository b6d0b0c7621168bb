{{ config(materialized='table', post_hook=['analyze {{ this }}']) }}

{#
    Revenue as two bases, one row per event. `shipment`: goods leave (or come back) —
    done delivery and customer-return moves at the line's net unit price, with their cost
    of goods from Odoo's valuation. `invoice`: posted customer invoices and credit notes,
    untaxed. Both in the order's currency, which for this business is the company's.
#}
with

moves as (

    select * from {{ ref('int_stock_moves_classified') }}

),

order_lines as (

    select * from {{ ref('int_sale_order_lines_enriched') }}

),

documents as (

    select * from {{ ref('int_customer_documents_attributed') }}

),

shipment_events as (

    select
        'shipment'::text as basis,
        'move:' || moves.move_id::text as event_key,
        order_lines.company_id,
        order_lines.warehouse_id,
        order_lines.channel,
        moves.moved_date as event_date,
        case when moves.move_kind = 'customer_return' then -1 else 1 end
        * moves.quantity * order_lines.net_unit_price as revenue,
        case when moves.move_kind = 'customer_return' then -1 else 1 end
        * moves.move_value as cost_of_goods

    from moves

    inner join order_lines
        on moves.sale_order_line_id = order_lines.sale_order_line_id

    where
        moves.is_done
        and moves.move_kind in ('delivery', 'customer_return')

),

invoice_events as (

    select
        'invoice'::text as basis,
        'invoice:' || account_move_id::text as event_key,
        company_id,
        warehouse_id,
        channel,
        invoice_date as event_date,
        amount_untaxed as revenue,
        null::numeric as cost_of_goods

    from documents

    where document_status = 'posted'

),

final as (

    select * from shipment_events
    union all
    select * from invoice_events

)

select * from final
