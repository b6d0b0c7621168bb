with

documents as (

    select * from {{ ref('int_customer_documents_attributed') }}

),

payments as (

    select * from {{ ref('int_payments_matched') }}

),

settlements as (

    select
        settled_account_move_id,
        max(payment_date) as last_payment_date,
        sum(signed_amount) as paid_amount

    from payments

    where payment_status = 'posted'

    group by settled_account_move_id

),

final as (

    select
        -- ids
        documents.account_move_id as invoice_id,
        documents.sale_order_id,
        documents.customer_id,
        documents.company_id,
        documents.warehouse_id,
        documents.reversed_account_move_id,

        -- dimensions
        documents.invoice_ref,
        documents.move_type,
        documents.move_type = 'out_refund' as is_credit_note,
        documents.external_ref,
        documents.order_ref,
        documents.channel,
        documents.document_status,
        documents.payment_status,
        documents.currency_code,

        -- measures
        documents.amount_untaxed,
        documents.amount_tax,
        documents.amount_total,
        documents.amount_residual,
        coalesce(abs(settlements.paid_amount), 0) as paid_amount,

        -- timestamps
        documents.invoice_date,
        documents.due_date,
        settlements.last_payment_date,
        documents.updated_at

    from documents

    left join settlements
        on documents.account_move_id = settlements.settled_account_move_id

)

select * from final
