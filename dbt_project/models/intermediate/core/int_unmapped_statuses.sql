with

observed as (

    select * from {{ ref('int_source_statuses_observed') }}

),

status_map as (

    select * from {{ ref('status_map') }}

),

final as (

    select
        -- ids
        observed.system,
        observed.entity,
        observed.source_status,

        -- dimensions
        observed.example_ref,

        -- measures
        observed.row_count

    from observed

    left join status_map
        on
            observed.system = status_map.system
            and observed.entity = status_map.entity
            and observed.source_status = status_map.source_status

    where status_map.canonical_status is null

)

select * from final
