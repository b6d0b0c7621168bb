with

quants as (

    select * from {{ ref('stg_odoo__stock_quants') }}

),

locations as (

    select * from {{ ref('stg_odoo__stock_locations') }}

),

warehouses as (

    select * from {{ ref('stg_odoo__warehouses') }}

),

products as (

    select * from {{ ref('stg_odoo__products') }}

),

-- Own stock only: quants in internal locations that sit inside a warehouse. The
-- warehouse comes from the location, the one place Odoo keeps it current.
warehouse_quants as (

    select
        quants.product_id,
        locations.warehouse_id,
        quants.company_id,
        quants.quantity,
        quants.reserved_quantity,
        quants.updated_at

    from quants

    inner join locations
        on quants.location_id = locations.location_id

    where
        locations.location_usage = 'internal'
        and locations.warehouse_id is not null

),

positions as (

    select
        product_id,
        warehouse_id,
        company_id,
        sum(quantity) as on_hand_qty,
        sum(reserved_quantity) as reserved_qty,
        count(*) as quant_count,
        max(updated_at) as last_quant_write_at

    from warehouse_quants

    group by product_id, warehouse_id, company_id

),

final as (

    select
        -- ids
        positions.product_id,
        positions.warehouse_id,
        positions.company_id,

        -- dimensions
        products.default_code as sku,
        warehouses.warehouse_code,

        -- measures
        positions.on_hand_qty,
        positions.reserved_qty,
        positions.on_hand_qty - positions.reserved_qty as available_qty,
        positions.quant_count,

        -- timestamps
        positions.last_quant_write_at

    from positions

    left join products
        on positions.product_id = products.product_id

    left join warehouses
        on positions.warehouse_id = warehouses.warehouse_id

)

select * from final
