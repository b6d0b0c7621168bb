{#
    A reconciliation tolerance from the seed `reconciliation_tolerances`, as a scalar
    subquery: `tolerance('stuck_order')` is the `absolute` number of that metric, and
    `tolerance_interval('stuck_order')` the same number read as hours.
#}
{% macro tolerance(exception_type, column='absolute') -%}
    (
        select {{ column }}
        from {{ ref('reconciliation_tolerances') }}
        where exception_type = '{{ exception_type }}'
    )
{%- endmacro %}

{% macro tolerance_interval(exception_type) -%}
    ({{ tolerance(exception_type) }} * interval '1 hour')
{%- endmacro %}
