with

source as (

    select * from {{ source('odoo', 'product_value') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as product_value_id,
        product_id,
        lot_id,
        move_id,
        user_id,
        company_id,

        -- dimensions
        description,
        product_id_name as product_name,

        -- measures
        value,

        -- timestamps
        date as valued_at,
        create_date as created_at,
        write_date as updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
