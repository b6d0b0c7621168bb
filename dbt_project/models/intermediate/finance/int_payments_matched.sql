{#
    Odoo payments with the customer document they settle: Odoo writes the invoice's (or
    credit note's) number into the payment's memo (`ref` before Odoo 18). Amounts are
    signed from the company's side: money in positive, refunds out negative.
#}
with

payments as (

    select * from {{ ref('stg_odoo__account_payments') }}

),

documents as (

    select * from {{ ref('int_customer_documents_attributed') }}

),

final as (

    select
        -- ids
        payments.payment_id,
        documents.account_move_id as settled_account_move_id,
        payments.partner_id,
        payments.company_id,
        payments.journal_id,
        documents.warehouse_id,

        -- dimensions
        payments.payment_ref,
        payments.memo,
        payments.payment_type,
        payments.partner_type,
        payments.payment_state,
        coalesce(payment_status.canonical_status, 'unmapped') as payment_status,
        documents.channel,
        payments.currency_code,
        payments.is_reconciled,
        payments.is_matched,

        -- measures
        case
            when payments.payment_type = 'outbound' then -payments.amount
            else payments.amount
        end as signed_amount,

        -- timestamps
        payments.payment_date,
        payments.updated_at

    from payments

    left join documents
        on payments.memo = documents.invoice_ref

    {{ map_status('odoo', 'account_payment', 'payments.payment_state', 'payment_status') }}

)

select * from final
