with

pickings as (

    select * from {{ ref('int_pickings_summarised') }}

),

moves as (

    select * from {{ ref('int_stock_moves_classified') }}

),

order_lines as (

    select * from {{ ref('int_sale_order_lines_enriched') }}

),

account_moves as (

    select * from {{ ref('stg_odoo__account_moves') }}

),

-- What the returned goods were sold for: returned quantity x the line's net unit price.
return_values as (

    select
        moves.picking_id,
        sum(moves.quantity * order_lines.net_unit_price) as returned_sales_value

    from moves

    inner join order_lines
        on moves.sale_order_line_id = order_lines.sale_order_line_id

    where
        moves.move_kind = 'customer_return'
        and moves.is_done

    group by moves.picking_id

),

-- Odoo's credit note for a return quotes the return transfer's name as its reference.
credit_notes as (

    select
        external_ref as picking_ref,
        min(account_move_id) as credit_note_id,
        min(move_ref) as credit_note_ref,
        sum(amount_untaxed) as credited_amount_untaxed,
        min(invoice_date) as credited_date

    from account_moves

    where
        move_type = 'out_refund'
        and move_state = 'posted'

    group by external_ref

),

final as (

    select
        -- ids
        pickings.picking_id as return_id,
        pickings.returned_picking_id,
        pickings.sale_order_id,
        pickings.partner_id as customer_id,
        pickings.company_id,
        pickings.warehouse_id,
        credit_notes.credit_note_id,

        -- dimensions
        pickings.picking_ref as return_ref,
        pickings.order_ref,
        credit_notes.credit_note_ref,
        pickings.picking_status as return_status,
        credit_notes.credit_note_id is not null as has_credit_note,

        -- measures
        pickings.done_qty as returned_qty,
        pickings.done_value as returned_cost,
        coalesce(return_values.returned_sales_value, 0) as returned_sales_value,
        credit_notes.credited_amount_untaxed,

        -- timestamps
        pickings.done_at as returned_at,
        {{ utc_date('pickings.done_at') }} as returned_date,
        credit_notes.credited_date

    from pickings

    left join return_values
        on pickings.picking_id = return_values.picking_id

    left join credit_notes
        on pickings.picking_ref = credit_notes.picking_ref

    where pickings.picking_kind = 'customer_return'

)

select * from final
