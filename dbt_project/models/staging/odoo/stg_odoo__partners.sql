with

source as (

    select * from {{ source('odoo', 'res_partner') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as partner_id,
        parent_id as parent_partner_id,
        commercial_partner_id,
        country_id,
        company_id,

        -- dimensions
        name as partner_name,
        ref as partner_ref,
        is_company,
        email,
        phone,
        vat,
        city,
        zip,
        country_id_name as country_name,
        commercial_partner_id_name as commercial_partner_name,
        active as is_active,

        -- measures
        customer_rank,
        supplier_rank,

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
