with

source as (

    select * from {{ source('ops', 'validation_runs') }}

),

renamed as (

    select
        -- ids
        validation_run_id,
        batch_id,
        stream as stream_id,

        -- dimensions
        suite,
        success as is_success,
        outcome,

        -- measures
        evaluated as expectations_evaluated,
        failed as expectations_failed,
        rows_quarantined,

        -- timestamps
        validated_at

    from source

)

select * from renamed
