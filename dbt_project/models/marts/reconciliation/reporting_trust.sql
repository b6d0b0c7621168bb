-- How far each mart can be trusted right now: the freshness of the streams it reads
-- (against their sync class), their last quality-gate verdict, and the open exceptions
-- that touch the same streams, rolled into one trust level the dashboard shows beside
-- each KPI. Freshness is measured against the wall clock: it is about the pipeline.
with

mart_streams as (

    select * from {{ mart_streams() }}
        as listed (
            mart_name, mart_schema, stream_id, warn_after_minutes, error_after_minutes
        )
    where mart_name != 'reporting_trust'

),

stream_state as (

    select * from {{ ref('stg_ops__stream_state') }}

),

validation_runs as (

    select * from {{ ref('stg_ops__validation_runs') }}

),

exceptions as (

    select * from {{ ref('exceptions') }}

),

last_gates as (

    select distinct on (stream_id)
        stream_id,
        outcome,
        validated_at

    from validation_runs

    order by stream_id asc, validated_at desc, validation_run_id desc

),

streams as (

    select
        mart_streams.mart_name,
        mart_streams.mart_schema,
        mart_streams.stream_id,
        stream_state.last_published_at,
        last_gates.outcome as gate_outcome,
        last_gates.validated_at,
        case
            when stream_state.last_published_at is null then 'stale'
            when
                now() - stream_state.last_published_at
                > mart_streams.error_after_minutes * interval '1 minute'
                then 'stale'
            when
                now() - stream_state.last_published_at
                > mart_streams.warn_after_minutes * interval '1 minute'
                then 'late'
            else 'fresh'
        end as freshness_status

    from mart_streams

    left join stream_state
        on mart_streams.stream_id = stream_state.stream_id

    left join last_gates
        on mart_streams.stream_id = last_gates.stream_id

),

-- An exception touches a mart when the reconciliation mart it came from reads one of
-- the mart's streams.
touching as (

    select distinct
        streams.mart_name,
        exceptions.exception_id,
        exceptions.severity,
        exceptions.value_at_risk

    from streams

    inner join mart_streams as exception_streams
        on streams.stream_id = exception_streams.stream_id

    inner join exceptions
        on exception_streams.mart_name = exceptions.source_model

),

open_exceptions as (

    select
        mart_name,
        count(*) as open_exception_count,
        count(*) filter (where severity = 'high') as high_severity_count,
        sum(value_at_risk) as value_at_risk

    from touching

    group by mart_name

),

rolled as (

    select
        mart_name,
        mart_schema,
        array_agg(stream_id order by stream_id) as stream_ids,
        array_agg(stream_id order by stream_id) filter (
            where freshness_status != 'fresh'
        ) as late_streams,
        array_agg(stream_id order by stream_id) filter (
            where gate_outcome is distinct from 'passed'
        ) as gated_streams,
        bool_or(freshness_status = 'stale') as has_stale_stream,
        bool_or(freshness_status = 'late') as has_late_stream,
        bool_or(gate_outcome in ('blocked', 'failed')) as has_failed_gate,
        bool_or(gate_outcome in ('rows_quarantined', 'waived')) as has_quarantined_rows,
        min(last_published_at) as oldest_published_at,
        max(validated_at) as last_validated_at

    from streams

    group by mart_name, mart_schema

),

final as (

    select
        -- ids
        rolled.mart_name,

        -- dimensions
        rolled.mart_schema,
        rolled.stream_ids,
        case
            when rolled.has_stale_stream or rolled.has_failed_gate then 'low'
            when
                rolled.has_late_stream
                or rolled.has_quarantined_rows
                or coalesce(open_exceptions.high_severity_count, 0) > 0
                then 'medium'
            else 'high'
        end as trust_level,
        array_remove(array[
            case when rolled.has_stale_stream then 'stale stream' end,
            case when rolled.has_late_stream then 'late stream' end,
            case when rolled.has_failed_gate then 'failed quality gate' end,
            case when rolled.has_quarantined_rows then 'rows in quarantine' end,
            case
                when open_exceptions.high_severity_count > 0
                    then 'high-severity exceptions open'
            end
        ], null) as trust_reasons,
        coalesce(rolled.late_streams, '{}') as late_streams,
        coalesce(rolled.gated_streams, '{}') as gated_streams,

        -- measures
        coalesce(open_exceptions.open_exception_count, 0) as open_exception_count,
        coalesce(open_exceptions.high_severity_count, 0) as high_severity_exception_count,
        coalesce(open_exceptions.value_at_risk, 0) as value_at_risk,

        -- timestamps
        rolled.oldest_published_at,
        rolled.last_validated_at,
        now() as evaluated_at

    from rolled

    left join open_exceptions
        on rolled.mart_name = open_exceptions.mart_name

)

select * from final
