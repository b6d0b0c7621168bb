{#
    Contract check without dbt's "numeric with unspecified precision/scale" warning.
    The warning guards warehouses where a bare numeric means a fixed scale; on
    PostgreSQL an unconstrained numeric is exact, and docs/contracts.md maps Odoo
    floats to unconstrained numeric on purpose (Odoo's precision is per unit of measure).
    Otherwise the same as dbt's default__get_empty_schema_sql.
#}
{% macro postgres__get_empty_schema_sql(columns) %}
    {%- set col_err = [] -%}
    select
    {% for i in columns %}
        {%- set col = columns[i] -%}
        {%- if col['data_type'] is not defined -%}
            {%- do col_err.append(col['name']) -%}
        {%- endif -%}
        {% set col_name = adapter.quote(col['name']) if col.get('quote') else col['name'] %}
        {{ cast('null', col['data_type']) }} as {{ col_name }}{{ ", " if not loop.last }}
    {%- endfor -%}
    {%- if (col_err | length) > 0 -%}
        {{ exceptions.column_type_missing(column_names=col_err) }}
    {%- endif -%}
{% endmacro %}
