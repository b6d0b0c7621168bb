-- The moment reconciliation measures lags against: the latest event any system has
-- reported (or the var `reconciliation_as_of`). Measuring against the data's own clock,
-- not the wall clock, keeps a late sync from turning in-flight work into exceptions;
-- staleness itself is reported by reporting_trust.
{% set pinned_as_of = var('reconciliation_as_of', none) %}
{# (clock, model, timestamp column): each system's latest event. #}
{% set clocks = [
    ('odoo_sales', 'stg_odoo__sale_orders', 'updated_at'),
    ('odoo_accounting', 'stg_odoo__account_moves', 'updated_at'),
    ('shop', 'stg_shop__orders', 'updated_at'),
    ('wms_snapshots', 'stg_wms__stock_snapshots', 'snapshot_at'),
    ('wms_confirmations', 'stg_wms__confirmations', 'confirmed_at'),
    ('carrier', 'stg_carrier__events', 'occurred_at'),
] %}

with

clocks as (

    {% for clock, model, column in clocks %}
        select
            '{{ clock }}'::text as clock_name,
            max({{ column }}) as latest_at

        from {{ ref(model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        -- timestamps
        {% if pinned_as_of %}'{{ pinned_as_of }}'::timestamptz{% else %}max(latest_at){% endif %}
            as as_of,

        -- dimensions
        jsonb_object_agg(clock_name, latest_at) as latest_at_by_system

    from clocks

)

select * from final
