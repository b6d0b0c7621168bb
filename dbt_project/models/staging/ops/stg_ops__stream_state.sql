with

source as (

    select * from {{ source('ops', 'stream_state') }}

),

renamed as (

    select
        -- ids
        stream as stream_id,
        last_batch_id,

        -- dimensions
        watermark,

        -- measures
        rows_total,

        -- timestamps
        last_published_at

    from source

)

select * from renamed
