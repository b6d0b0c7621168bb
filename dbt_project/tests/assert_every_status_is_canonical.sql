-- Assert that no mart carries a null status: every status went through the seed status_map
-- and is either canonical or the explicit 'unmapped'.
{%- set checks = [
    ('fct_order_lines', 'sale_order_line_id', ['order_status', 'line_status']),
    ('fct_invoices', 'invoice_id', ['document_status', 'payment_status']),
    ('fct_payments', 'payment_id', ['payment_status']),
    ('fct_shipments', 'picking_id', ['picking_status']),
] %}

{% for mart, key, columns in checks %}
    select
        '{{ mart }}' as mart,
        {{ key }} as row_id
    from {{ ref(mart) }}
    where {{ columns | join(' is null or ') }} is null
    {{ 'union all' if not loop.last }}
{% endfor %}
