{#
    ANALYZE the raw tables PostgreSQL has no statistics for yet (freshly created by the
    loader, before autovacuum reaches them). Without statistics the planner takes a
    12,000-row table for a few dozen rows and nests loops: the demo-scale build went from
    seconds to minutes. Tables the role does not own are skipped with a warning, never an
    error. Runs at the start of every dbt invocation (dbt_project.yml on-run-start).
#}
{% macro analyze_unanalyzed_sources() %}
    {% if execute %}
        {% set unanalyzed %}
            select format('%I.%I', schemaname, relname)
            from pg_stat_user_tables
            where
                schemaname = 'raw'
                and last_analyze is null
                and last_autoanalyze is null
        {% endset %}
        {% for row in run_query(unanalyzed) %}
            {% do run_query('analyze ' ~ row[0]) %}
        {% endfor %}
    {% endif %}
{% endmacro %}
