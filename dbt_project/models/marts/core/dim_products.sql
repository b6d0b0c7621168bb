with

products as (

    select * from {{ ref('stg_odoo__products') }}

),

templates as (

    select * from {{ ref('stg_odoo__product_templates') }}

),

matched as (

    select * from {{ ref('int_products_matched') }}

),

wms_aliases as (

    select
        golden_product_id,
        min(system_product_key) as wms_item_code,
        count(*) as wms_item_count

    from matched

    where
        system = 'wms'
        and match_method in ('sku', 'barcode')

    group by golden_product_id

),

odoo_matches as (

    select * from matched
    where system = 'odoo'

),

final as (

    select
        -- ids
        products.product_id,
        products.product_template_id,
        products.category_id,

        -- dimensions
        products.default_code as sku,
        products.barcode,
        wms_aliases.wms_item_code,
        products.product_name,
        products.category_name,
        products.product_type,
        coalesce(products.is_storable, false) as is_storable,
        products.uom_name,
        templates.invoice_policy,
        products.is_active,
        odoo_matches.match_method = 'ambiguous' as has_duplicate_sku,
        coalesce(wms_aliases.wms_item_count, 0) > 1 as has_conflicting_wms_items,

        -- measures
        products.list_price,
        products.standard_price,

        -- timestamps
        products.created_at,
        products.updated_at

    from products

    left join templates
        on products.product_template_id = templates.product_template_id

    left join wms_aliases
        on products.product_id = wms_aliases.golden_product_id

    left join odoo_matches
        on products.product_id::text = odoo_matches.system_product_key

)

select * from final
