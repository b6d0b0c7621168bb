-- Customer returns against credit notes: a done return should be credited (credit note
-- `ref` = the return's picking name) within its tolerance, and every credit note should
-- have such a return. One row per return, credit note, or matched pair.
with

pickings as (

    select * from {{ ref('int_pickings_summarised') }}

),

account_moves as (

    select * from {{ ref('stg_odoo__account_moves') }}

),

sale_order_lines as (

    select * from {{ ref('stg_odoo__sale_order_lines') }}

),

clock as (

    select as_of from {{ ref('reconciliation_as_of') }}

),

-- What the customer would be credited: the order's lines invoiced beyond delivery.
uncredited as (

    select
        sale_order_id,
        sum(-to_invoice_qty * price_unit * (1 - coalesce(discount_percent, 0) / 100))
            as uncredited_amount

    from sale_order_lines

    where to_invoice_qty < 0

    group by sale_order_id

),

returns as (

    select
        pickings.picking_id as return_picking_id,
        pickings.picking_ref as return_ref,
        pickings.order_ref,
        pickings.company_id,
        pickings.done_at as returned_at,
        coalesce(uncredited.uncredited_amount, pickings.done_value) as return_amount

    from pickings

    left join uncredited
        on pickings.sale_order_id = uncredited.sale_order_id

    where
        pickings.picking_kind = 'customer_return'
        and pickings.picking_status = 'done'

),

credit_notes as (

    select
        account_move_id as credit_note_id,
        move_ref as credit_note_ref,
        external_ref,
        invoice_origin,
        company_id,
        currency_code,
        amount_total,
        invoice_date

    from account_moves

    where move_type = 'out_refund' and move_state = 'posted'

),

joined as (

    select
        md5(coalesce(returns.return_ref, '') || '|' || coalesce(credit_notes.credit_note_ref, ''))
            as return_reconciliation_id,
        returns.return_picking_id,
        returns.return_ref,
        credit_notes.credit_note_id,
        credit_notes.credit_note_ref,
        coalesce(returns.order_ref, credit_notes.invoice_origin) as order_ref,
        coalesce(returns.company_id, credit_notes.company_id) as company_id,
        credit_notes.currency_code,
        returns.return_amount,
        credit_notes.amount_total as credit_note_amount,
        returns.returned_at,
        credit_notes.invoice_date as credited_date,
        returns.returned_at + {{ tolerance_interval('return_without_credit_note') }}
            as credit_due_at,
        clock.as_of

    from returns

    full outer join credit_notes
        on returns.return_ref = credit_notes.external_ref

    cross join clock

),

final as (

    select
        -- ids
        return_reconciliation_id,
        return_picking_id,
        return_ref,
        credit_note_id,
        credit_note_ref,
        order_ref,
        company_id,

        -- dimensions
        currency_code,
        case
            when return_ref is not null and credit_note_ref is not null then 'matched'
            when credit_note_ref is not null then 'credit_note_without_return'
            when credit_due_at <= as_of then 'return_without_credit_note'
            else 'awaiting_credit_note'
        end as reconciliation_status,

        -- measures
        return_amount,
        credit_note_amount,

        -- timestamps
        returned_at,
        credited_date,
        credit_due_at

    from joined

)

select * from final
