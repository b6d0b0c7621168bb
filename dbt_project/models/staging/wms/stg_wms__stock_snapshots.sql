with

source as (

    select * from {{ source('wms', 'stock_snapshots') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        warehouse_code,
        item_code,
        location_code,

        -- measures
        qty_on_hand as on_hand_qty,
        qty_allocated as allocated_qty,

        -- timestamps
        snapshot_at,

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
