with

source as (

    select * from {{ source('odoo', 'account_payment') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as payment_id,
        partner_id,
        currency_id,
        journal_id,
        payment_method_line_id,
        move_id as account_move_id,
        company_id,

        -- dimensions
        name as payment_ref,
        payment_type,
        partner_type,
        state as payment_state,
        memo,
        is_reconciled,
        is_matched,
        partner_id_name as partner_name,
        currency_id_name as currency_code,
        journal_id_name as journal_name,

        -- measures
        amount,

        -- timestamps
        date as payment_date,
        create_date as created_at,
        write_date as updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
