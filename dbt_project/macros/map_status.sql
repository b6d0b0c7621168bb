{#
    Join the seed status_map for one status column, as `map_alias`. Select
    `coalesce(<map_alias>.canonical_status, 'unmapped')`: a status the seed does not know
    is never a null, and int_unmapped_statuses lists it for the steward. A null source
    status is looked up as '(none)' (e.g. delivery_status of a quotation).
#}
{% macro map_status(system, entity, status_column, map_alias) %}
    left join {{ ref('status_map') }} as {{ map_alias }}
        on
            {{ map_alias }}.system = '{{ system }}'
            and {{ map_alias }}.entity = '{{ entity }}'
            and {{ map_alias }}.source_status = coalesce({{ status_column }}, '(none)')
{% endmacro %}
