with

source as (

    select * from {{ source('carrier', 'events') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        event_id,
        tracking_number,
        shipper_reference as order_ref,

        -- dimensions
        carrier,
        status_code,
        location,

        -- timestamps
        occurred_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
