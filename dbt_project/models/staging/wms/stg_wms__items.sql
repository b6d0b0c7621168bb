with

source as (

    select * from {{ source('wms', 'items') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        item_code,

        -- dimensions
        client_sku as sku,

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
