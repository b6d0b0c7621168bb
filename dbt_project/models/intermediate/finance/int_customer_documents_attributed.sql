{{ config(materialized='table', post_hook=['analyze {{ this }}']) }}

{#
    Customer invoices and credit notes (posted or not) with the order, warehouse and
    channel they belong to: an invoice names its order in `invoice_origin`; a credit note
    without one inherits the order of the invoice it reverses. Amounts are signed (credit
    notes negative) in the document's currency, which for this business is the company's.
#}
with

account_moves as (

    select * from {{ ref('stg_odoo__account_moves') }}

),

orders as (

    select * from {{ ref('int_sale_order_lines_enriched') }}

),

order_context as (

    select
        sale_order_id,
        min(order_ref) as order_ref,
        min(warehouse_id) as warehouse_id,
        min(channel) as channel

    from orders

    group by sale_order_id

),

documents as (

    select
        account_moves.*,
        coalesce(account_moves.invoice_origin, reversed.invoice_origin) as attributed_origin,
        case when account_moves.move_type = 'out_refund' then -1 else 1 end as document_sign

    from account_moves

    left join account_moves as reversed
        on account_moves.reversed_account_move_id = reversed.account_move_id

    where account_moves.move_type in ('out_invoice', 'out_refund')

),

final as (

    select
        -- ids
        documents.account_move_id,
        order_context.sale_order_id,
        documents.commercial_partner_id as customer_id,
        documents.company_id,
        order_context.warehouse_id,
        documents.reversed_account_move_id,

        -- dimensions
        documents.move_ref as invoice_ref,
        documents.move_type,
        documents.external_ref,
        documents.attributed_origin as order_ref,
        coalesce(order_context.channel, 'unattributed') as channel,
        documents.move_state,
        coalesce(document_status.canonical_status, 'unmapped') as document_status,
        documents.payment_state,
        coalesce(payment_status.canonical_status, 'unmapped') as payment_status,
        documents.currency_code,

        -- measures
        documents.document_sign * documents.amount_untaxed as amount_untaxed,
        documents.document_sign * documents.amount_tax as amount_tax,
        documents.document_sign * documents.amount_total as amount_total,
        documents.document_sign * documents.amount_residual as amount_residual,

        -- timestamps
        documents.invoice_date,
        documents.due_date,
        documents.accounting_date,
        documents.updated_at

    from documents

    left join order_context
        on documents.attributed_origin = order_context.order_ref

    {{ map_status('odoo', 'account_move', 'documents.move_state', 'document_status') }}

    {{ map_status(
        'odoo', 'account_move_payment_state', 'documents.payment_state', 'payment_status'
    ) }}

)

select * from final
