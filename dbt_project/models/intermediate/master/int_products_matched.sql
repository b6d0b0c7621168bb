{#
    The product crosswalk: every product key of every system, matched to one golden
    product (the Odoo product variant). Odoo's Internal Reference (`default_code`) is the
    SKU; the 3PL knows a product by its own item code and the client SKU it was told; the
    shop sells by SKU. Matching order: SKU, then barcode. A key that matches nothing is
    `unmatched`; an Odoo SKU or barcode held by two products is `ambiguous`.
#}
with

products as (

    select * from {{ ref('stg_odoo__products') }}

),

wms_items as (

    select * from {{ ref('stg_wms__items') }}

),

shop_order_lines as (

    select * from {{ ref('stg_shop__order_lines') }}

),

sku_owners as (

    select
        default_code as match_key,
        min(product_id) as product_id,
        count(*) as owner_count

    from products

    where default_code is not null

    group by default_code

),

barcode_owners as (

    select
        barcode as match_key,
        min(product_id) as product_id,
        count(*) as owner_count

    from products

    where barcode is not null

    group by barcode

),

odoo_keys as (

    select
        'odoo'::text as system,  -- noqa: RF04
        products.product_id::text as system_product_key,
        products.default_code as sku,
        products.product_id as golden_product_id,
        case
            when sku_owners.owner_count > 1 then 'ambiguous'
            else 'sku'
        end as match_method

    from products

    left join sku_owners
        on products.default_code = sku_owners.match_key

),

shop_skus as (

    select distinct sku from shop_order_lines

),

foreign_keys as (

    select
        'wms'::text as system,  -- noqa: RF04
        item_code as system_product_key,
        sku,
        item_code as barcode_candidate

    from wms_items

    union all

    select
        'shop'::text as system,  -- noqa: RF04
        sku as system_product_key,
        sku,
        sku as barcode_candidate

    from shop_skus

),

foreign_matched as (

    select
        foreign_keys.system,
        foreign_keys.system_product_key,
        foreign_keys.sku,
        coalesce(sku_owners.product_id, barcode_owners.product_id) as golden_product_id,
        case
            when sku_owners.owner_count > 1 or barcode_owners.owner_count > 1 then 'ambiguous'
            when sku_owners.product_id is not null then 'sku'
            when barcode_owners.product_id is not null then 'barcode'
            else 'unmatched'
        end as match_method

    from foreign_keys

    left join sku_owners
        on foreign_keys.sku = sku_owners.match_key

    left join barcode_owners
        on foreign_keys.barcode_candidate = barcode_owners.match_key

),

unioned as (

    select * from odoo_keys
    union all
    select * from foreign_matched

),

final as (

    select
        -- ids
        system,
        system_product_key,
        golden_product_id,

        -- dimensions
        sku,
        match_method,
        match_method in ('unmatched', 'ambiguous') as is_conflict

    from unioned

)

select * from final
