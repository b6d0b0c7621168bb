with

source as (

    select * from {{ source('odoo', 'account_move') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as account_move_id,
        partner_id,
        commercial_partner_id,
        currency_id,
        journal_id,
        company_id,
        reversed_entry_id as reversed_account_move_id,
        invoice_user_id as salesperson_id,

        -- dimensions
        name as move_ref,
        move_type,
        state as move_state,
        payment_state,
        ref as external_ref,
        invoice_origin,
        partner_id_name as partner_name,
        currency_id_name as currency_code,
        journal_id_name as journal_name,
        reversed_entry_id_name as reversed_move_ref,

        -- measures
        amount_untaxed,
        amount_tax,
        amount_total,
        amount_residual,
        amount_total_signed,
        amount_residual_signed,

        -- timestamps
        invoice_date,
        invoice_date_due as due_date,
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
