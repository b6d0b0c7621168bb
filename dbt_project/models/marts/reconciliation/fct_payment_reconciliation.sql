-- Odoo payments against bank statement lines: every posted payment (memo = the invoice
-- or credit note it settles) should have one bank line on its date with that remittance
-- and the same signed amount, and every bank line such a payment. Repeated memos (part
-- payments) pair up in amount order. One row per payment, bank line, or matched pair.
with

payments as (

    select * from {{ ref('stg_odoo__account_payments') }}

),

bank_lines as (

    select * from {{ ref('stg_bank__statement_lines') }}

),

posted_payments as (

    select
        payments.payment_id,
        payments.payment_ref,
        payments.memo,
        payments.company_id,
        payments.currency_code,
        payments.partner_name,
        payments.payment_date,
        case when payments.payment_type = 'outbound' then -1 else 1 end
        * payments.amount as signed_amount,
        row_number() over (
            partition by payments.memo, payments.payment_date
            order by
                case when payments.payment_type = 'outbound' then -1 else 1 end
                * payments.amount,
                payments.payment_ref
        ) as pair_number

    from payments

    {{ map_status('odoo', 'account_payment', 'payments.payment_state', 'payment_status') }}

    where payment_status.canonical_status = 'posted'

),

numbered_lines as (

    select
        *,
        row_number() over (
            partition by remittance_info, booking_date
            order by amount, bank_line_ref
        ) as pair_number

    from bank_lines

),

-- Payments after the last statement day wait for tomorrow's statement.
last_statement as (

    select max(booking_date) as last_booking_date from bank_lines

),

joined as (

    select
        md5(
            coalesce(posted_payments.payment_ref, '') || '|'
            || coalesce(numbered_lines.bank_line_ref, '')
        ) as payment_reconciliation_id,
        posted_payments.payment_id,
        posted_payments.payment_ref,
        numbered_lines.bank_line_ref,
        coalesce(posted_payments.memo, numbered_lines.remittance_info) as remittance_ref,
        posted_payments.company_id,
        coalesce(posted_payments.currency_code, numbered_lines.currency_code) as currency_code,
        coalesce(posted_payments.partner_name, numbered_lines.counterparty_name)
            as counterparty_name,
        numbered_lines.account_iban,
        posted_payments.signed_amount as payment_amount,
        numbered_lines.amount as bank_amount,
        posted_payments.payment_date,
        numbered_lines.booking_date,
        posted_payments.payment_date <= last_statement.last_booking_date as is_statement_due

    from posted_payments

    full outer join numbered_lines
        on
            posted_payments.memo = numbered_lines.remittance_info
            and posted_payments.payment_date = numbered_lines.booking_date
            and posted_payments.pair_number = numbered_lines.pair_number
            and abs(posted_payments.signed_amount - numbered_lines.amount)
            <= {{ tolerance('payment_without_bank_line') }}

    cross join last_statement

),

final as (

    select
        -- ids
        payment_reconciliation_id,
        payment_id,
        payment_ref,
        bank_line_ref,
        company_id,

        -- dimensions
        remittance_ref,
        currency_code,
        counterparty_name,
        account_iban,
        case
            when payment_ref is not null and bank_line_ref is not null then 'matched'
            when bank_line_ref is not null then 'bank_receipt_unmatched'
            when is_statement_due then 'payment_without_bank_line'
            else 'awaiting_statement'
        end as reconciliation_status,

        -- measures
        payment_amount,
        bank_amount,

        -- timestamps
        payment_date,
        booking_date

    from joined

)

select * from final
