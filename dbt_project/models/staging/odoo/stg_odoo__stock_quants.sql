with

source as (

    select * from {{ source('odoo', 'stock_quant') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as quant_id,
        product_id,
        location_id,
        lot_id,
        package_id,
        owner_id,
        company_id,

        -- dimensions
        product_id_name as product_name,
        location_id_name as location_name,
        lot_id_name as lot_name,
        package_id_name as package_name,
        owner_id_name as owner_name,
        company_id_name as company_name,

        -- measures
        quantity,
        reserved_quantity,

        -- timestamps
        inventory_date,
        in_date as incoming_at,
        create_date as created_at,
        write_date as updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
