with

payments as (

    select * from {{ ref('int_payments_matched') }}

),

final as (

    select
        -- ids
        payment_id,
        settled_account_move_id as invoice_id,
        partner_id,
        company_id,
        journal_id,

        -- dimensions
        payment_ref,
        memo,
        payment_type,
        partner_type,
        payment_status,
        channel,
        currency_code,
        is_matched,

        -- measures
        signed_amount,

        -- timestamps
        payment_date

    from payments

)

select * from final
