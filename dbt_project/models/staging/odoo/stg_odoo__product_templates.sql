with

source as (

    select * from {{ source('odoo', 'product_template') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as product_template_id,
        categ_id as category_id,
        uom_id,
        company_id,

        -- dimensions
        name as product_template_name,
        default_code,
        type as product_type,
        is_storable,
        categ_id_name as category_name,
        uom_id_name as uom_name,
        sale_ok as is_sale_ok,
        purchase_ok as is_purchase_ok,
        invoice_policy,
        purchase_method,
        active as is_active,

        -- measures
        list_price,

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
