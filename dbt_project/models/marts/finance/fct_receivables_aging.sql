with

invoices as (

    select * from {{ ref('fct_invoices') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

open_items as (

    select
        invoices.*,
        as_of.as_of_date,
        as_of.as_of_date - coalesce(invoices.due_date, invoices.invoice_date) as days_past_due

    from invoices

    cross join as_of

    where
        invoices.document_status = 'posted'
        and invoices.amount_residual != 0

),

final as (

    select
        -- ids
        invoice_id,
        customer_id,
        company_id,
        warehouse_id,

        -- dimensions
        invoice_ref,
        order_ref,
        channel,
        is_credit_note,
        currency_code,
        case
            when days_past_due <= 0 then 'current'
            when days_past_due <= 30 then '1-30'
            when days_past_due <= 60 then '31-60'
            when days_past_due <= 90 then '61-90'
            else '90+'
        end as aging_bucket,

        -- measures
        amount_total,
        amount_residual as open_amount,
        greatest(days_past_due, 0) as days_past_due,

        -- timestamps
        invoice_date,
        due_date,
        as_of_date

    from open_items

)

select * from final
