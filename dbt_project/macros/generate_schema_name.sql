{#
    Use a model's custom schema name as-is (staging, intermediate, marts_ops, ...)
    instead of dbt's default `<target schema>_<custom>`: the warehouse has one set
    of dbt schemas, named in DESIGN.md, and roles are granted on those names.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
