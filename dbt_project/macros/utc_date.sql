{# The UTC calendar day of a timestamptz, independent of the session's TimeZone. #}
{% macro utc_date(column) -%}
    ({{ column }} at time zone 'utc')::date
{%- endmacro %}
