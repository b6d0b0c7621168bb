with

source as (

    select * from {{ source('shop', 'orders') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as shop_order_key,
        source_identifier as shop_order_id,
        order_number,

        -- dimensions
        name as order_name,
        lower(email) as email,
        financial_status,
        fulfillment_status,
        currency as currency_code,
        cancelled_at is not null as is_cancelled,

        -- measures
        total_price,

        -- timestamps
        created_at,
        processed_at,
        cancelled_at,
        closed_at,
        updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
