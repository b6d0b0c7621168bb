with

source as (

    select * from {{ source('odoo', 'stock_location') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as location_id,
        location_id as parent_location_id,
        warehouse_id,
        company_id,

        -- dimensions
        name as location_name,
        complete_name as location_full_name,
        usage as location_usage,
        location_id_name as parent_location_name,
        warehouse_id_name as warehouse_name,
        parent_path,
        company_id_name as company_name,
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
