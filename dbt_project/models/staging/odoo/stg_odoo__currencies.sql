with

source as (

    select * from {{ source('odoo', 'res_currency') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as currency_id,

        -- dimensions
        name as currency_code,
        symbol,
        full_name as currency_name,
        active as is_active,

        -- measures
        decimal_places,
        rounding,

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
