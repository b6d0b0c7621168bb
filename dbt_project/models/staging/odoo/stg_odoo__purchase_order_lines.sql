with

source as (

    select * from {{ source('odoo', 'purchase_order_line') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as purchase_order_line_id,
        order_id as purchase_order_id,
        product_id,
        product_uom_id as uom_id,
        partner_id as vendor_id,
        company_id,

        -- dimensions
        order_id_name as order_ref,
        name as line_description,
        product_id_name as product_name,
        product_uom_id_name as uom_name,

        -- measures
        product_qty as ordered_qty,
        qty_received as received_qty,
        qty_invoiced as invoiced_qty,
        price_unit,
        price_subtotal as amount_untaxed,
        price_total as amount_total,

        -- timestamps
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
