{#
    Every (system, entity, source status) the sources currently hold, with how many rows
    carry it. One block per status column; the entity names are those of seeds/status_map.csv.
#}
{%- set status_columns = [
    ('odoo', 'sale_order', 'stg_odoo__sale_orders', 'order_state', 'order_ref'),
    ('odoo', 'sale_order_invoice_status', 'stg_odoo__sale_orders', 'invoice_status', 'order_ref'),
    ('odoo', 'sale_order_delivery_status', 'stg_odoo__sale_orders', 'delivery_status', 'order_ref'),
    ('odoo', 'sale_order_line', 'stg_odoo__sale_order_lines', 'line_state', 'order_ref'),
    ('odoo', 'purchase_order', 'stg_odoo__purchase_orders', 'order_state', 'order_ref'),
    ('odoo', 'purchase_order_receipt_status', 'stg_odoo__purchase_orders', 'receipt_status', 'order_ref'),
    ('odoo', 'stock_picking', 'stg_odoo__stock_pickings', 'picking_state', 'picking_ref'),
    ('odoo', 'stock_move', 'stg_odoo__stock_moves', 'move_state', 'move_ref'),
    ('odoo', 'account_move', 'stg_odoo__account_moves', 'move_state', 'move_ref'),
    ('odoo', 'account_move_payment_state', 'stg_odoo__account_moves', 'payment_state', 'move_ref'),
    ('odoo', 'account_payment', 'stg_odoo__account_payments', 'payment_state', 'payment_ref'),
    ('shop', 'order_financial', 'stg_shop__orders', 'financial_status', 'shop_order_id'),
    ('shop', 'order_fulfillment', 'stg_shop__orders', 'fulfillment_status', 'shop_order_id'),
    ('carrier', 'tracking_event', 'stg_carrier__events', 'status_code', 'tracking_number'),
] -%}

with

{% for system, entity, model, column, ref_column in status_columns %}
    {{ system }}_{{ entity }} as (

        select
            '{{ system }}'::text as system,  -- noqa: RF04
            '{{ entity }}'::text as entity,
            coalesce({{ column }}, '(none)')::text as source_status,
            count(*) as row_count,
            min({{ ref_column }})::text as example_ref

        from {{ ref(model) }}

        group by coalesce({{ column }}, '(none)')

    ),

{% endfor %}
wms_confirmations as (

    select
        'wms'::text as system,  -- noqa: RF04
        (confirmation_type || '_confirmation')::text as entity,
        coalesce(status_code, '(none)')::text as source_status,
        count(*) as row_count,
        min(picking_ref)::text as example_ref

    from {{ ref('stg_wms__confirmations') }}

    group by confirmation_type, status_code

),

final as (

    {% for system, entity, model, column, ref_column in status_columns %}
        select * from {{ system }}_{{ entity }}
        union all
    {% endfor %}
    select * from wms_confirmations

)

select * from final
