with

source as (

    select * from {{ source('wms', 'confirmations') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        confirmation_id,
        reference as picking_ref,
        order_ref,
        item_code,

        -- dimensions
        type as confirmation_type,
        status_code,

        -- measures
        quantity,

        -- timestamps
        confirmed_at,

        -- lineage
        _source_file,
        _source_line,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
