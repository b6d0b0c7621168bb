with

source as (

    select * from {{ source('odoo', 'sale_order_line') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as sale_order_line_id,
        order_id as sale_order_id,
        product_id,
        product_uom_id as uom_id,
        company_id,
        currency_id,
        order_partner_id as customer_id,
        salesman_id as salesperson_id,

        -- dimensions
        order_id_name as order_ref,
        name as line_description,
        state as line_state,
        product_id_name as product_name,
        product_uom_id_name as uom_name,
        currency_id_name as currency_code,

        -- measures
        product_uom_qty as ordered_qty,
        qty_delivered as delivered_qty,
        qty_invoiced as invoiced_qty,
        qty_to_invoice as to_invoice_qty,
        price_unit,
        discount as discount_percent,
        price_subtotal as amount_untaxed,
        price_tax as amount_tax,
        price_total as amount_total,

        -- timestamps
        create_date as created_at,
        write_date as updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
