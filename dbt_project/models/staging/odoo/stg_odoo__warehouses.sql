with

source as (

    select * from {{ source('odoo', 'stock_warehouse') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as warehouse_id,
        company_id,
        lot_stock_id as stock_location_id,
        view_location_id,

        -- dimensions
        code as warehouse_code,
        name as warehouse_name,
        company_id_name as company_name,
        lot_stock_id_name as stock_location_name,
        view_location_id_name as view_location_name,
        active as is_active,

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
