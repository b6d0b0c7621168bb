with

orders as (

    select * from {{ source('shop', 'orders') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

-- Line items arrive inside each order: one row per element of the jsonb array.
unnested as (

    select
        orders.id as shop_order_key,
        orders.source_identifier as shop_order_id,
        orders.currency,
        orders.created_at,
        orders.updated_at,
        orders._batch_id,
        orders._extracted_at,
        orders._published_at,
        items.line_item,
        items.line_number

    from orders

    cross join
        lateral jsonb_array_elements(orders.line_items)
        with ordinality as items (line_item, line_number)

),

renamed as (

    select
        -- ids
        (line_item ->> 'id')::bigint as shop_order_line_key,
        shop_order_key,
        shop_order_id,
        line_number::integer as line_number,

        -- dimensions
        line_item ->> 'sku' as sku,
        currency as currency_code,

        -- measures
        (line_item ->> 'quantity')::numeric as quantity,
        (line_item ->> 'price')::numeric as unit_price,
        (line_item ->> 'quantity')::numeric * (line_item ->> 'price')::numeric as line_amount,

        -- timestamps
        created_at,
        updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from unnested

)

select * from renamed
