with

source as (

    select * from {{ source('odoo', 'product_product') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as product_id,
        product_tmpl_id as product_template_id,
        categ_id as category_id,
        uom_id,
        company_id,

        -- dimensions
        default_code,
        barcode,
        name as product_name,
        product_tmpl_id_name as product_template_name,
        categ_id_name as category_name,
        type as product_type,
        is_storable,
        uom_id_name as uom_name,
        company_id_name as company_name,
        active as is_active,

        -- measures
        list_price,
        standard_price,

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
