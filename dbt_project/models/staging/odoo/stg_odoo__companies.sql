with

source as (

    select * from {{ source('odoo', 'res_company') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as company_id,
        currency_id,
        partner_id,
        parent_id as parent_company_id,

        -- dimensions
        name as company_name,
        currency_id_name as currency_code,
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
