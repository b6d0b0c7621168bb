with

source as (

    select * from {{ source('odoo', 'purchase_order') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as purchase_order_id,
        partner_id as vendor_id,
        user_id as buyer_id,
        company_id,
        currency_id,
        picking_type_id,

        -- dimensions
        name as order_ref,
        state as order_state,
        invoice_status,
        receipt_status,
        origin,
        partner_ref as vendor_ref,
        partner_id_name as vendor_name,
        currency_id_name as currency_code,
        picking_type_id_name as picking_type_name,

        -- measures
        amount_untaxed,
        amount_tax,
        amount_total,

        -- timestamps
        date_order as ordered_at,
        date_approve as approved_at,
        date_planned as planned_at,
        create_date as created_at,
        write_date as updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
