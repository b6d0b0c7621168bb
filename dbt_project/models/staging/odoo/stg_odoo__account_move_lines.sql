with

source as (

    select * from {{ source('odoo', 'account_move_line') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as account_move_line_id,
        move_id as account_move_id,
        account_id,
        partner_id,
        product_id,
        currency_id,
        journal_id,
        purchase_line_id as purchase_order_line_id,
        company_id,

        -- dimensions
        move_name as move_ref,
        name as line_label,
        account_id_name as account_name,
        display_type,
        parent_state as move_state,
        reconciled as is_reconciled,
        currency_id_name as currency_code,

        -- measures
        quantity,
        price_unit,
        discount as discount_percent,
        debit,
        credit,
        balance,
        amount_currency,
        amount_residual,

        -- timestamps
        date as accounting_date,
        create_date as created_at,
        write_date as updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
