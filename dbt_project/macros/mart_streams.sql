{#
    The raw streams every mart reads, from dbt's own graph: one `(mart, schema, stream,
    warn minutes, error minutes)` row per mart x upstream source table, as a VALUES list.
    The stream id is the table's identifier with its first `__` turned back into a dot
    (`odoo__stock_quant` -> `odoo.stock_quant`, docs/contracts.md); the thresholds are the
    source's freshness (its sync class). The pipeline's own `ops` tables are not streams.
#}
{% macro mart_streams() %}
    {%- set rows = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.fqn[1] == 'marts' -%}
            {%- set seen = node.depends_on.nodes | list -%}
            {#- Breadth-first to a fixed depth: Jinja has no while loop. -#}
            {%- for _ in range(12) -%}
                {%- for parent in seen | list if parent in graph.nodes -%}
                    {%- for grand in graph.nodes[parent].depends_on.nodes
                        if grand not in seen -%}
                        {%- do seen.append(grand) -%}
                    {%- endfor -%}
                {%- endfor -%}
            {%- endfor -%}
            {%- for unique_id in seen | unique | sort if unique_id in graph.sources -%}
                {%- set source_node = graph.sources[unique_id] -%}
                {%- if source_node.source_name != 'ops' -%}
                    {%- do rows.append((
                        node.name,
                        node.schema,
                        source_node.identifier.replace('__', '.', 1),
                        freshness_minutes(source_node.freshness, 'warn_after'),
                        freshness_minutes(source_node.freshness, 'error_after'),
                    )) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if rows -%}
        (values
        {%- for mart, schema, stream, warn, error in rows %}
            ('{{ mart }}', '{{ schema }}', '{{ stream }}', {{ warn }}, {{ error }})
            {{- "," if not loop.last }}
        {%- endfor %}
        )
    {%- else -%}
        (select null::text, null::text, null::text, null::numeric, null::numeric where false)
    {%- endif -%}
{% endmacro %}

{% macro freshness_minutes(freshness, threshold) -%}
    {%- set after = (freshness or {}).get(threshold) or {} -%}
    {%- set per_period = {'minute': 1, 'hour': 60, 'day': 1440} -%}
    {%- if after.get('count') -%}
        {{ after['count'] * per_period[after['period']] }}
    {%- else -%}
        null
    {%- endif -%}
{%- endmacro %}
