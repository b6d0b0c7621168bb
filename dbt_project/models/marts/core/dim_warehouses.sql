with

warehouses as (

    select * from {{ ref('stg_odoo__warehouses') }}

),

final as (

    select
        -- ids
        warehouse_id,
        company_id,
        stock_location_id,

        -- dimensions
        warehouse_code,
        warehouse_name,
        company_name,
        is_active,

        -- timestamps
        created_at,
        updated_at

    from warehouses

)

select * from final
