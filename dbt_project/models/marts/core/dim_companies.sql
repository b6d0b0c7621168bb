with

companies as (

    select * from {{ ref('stg_odoo__companies') }}

),

final as (

    select
        -- ids
        company_id,
        currency_id,
        parent_company_id,

        -- dimensions
        company_name,
        currency_code,
        is_active,

        -- timestamps
        created_at,
        updated_at

    from companies

)

select * from final
