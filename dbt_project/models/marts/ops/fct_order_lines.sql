{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='sale_order_line_id',
        on_schema_change='append_new_columns',
    )
}}

with

lines as (

    select * from {{ ref('int_sale_order_lines_enriched') }}

    {% if is_incremental() %}
        -- Lines touched since the last build, with a day's overlap for late commits
        -- (Odoo's write_date is a transaction start).
        where source_updated_at >= (
            select max(built.source_updated_at) - interval '1 day' as cursor_at
            from {{ this }} as built
        )
    {% endif %}

),

final as (

    select
        -- ids
        sale_order_line_id,
        sale_order_id,
        product_id,
        customer_id,
        company_id,
        warehouse_id,

        -- dimensions
        order_ref,
        client_order_ref,
        channel,
        order_status,
        line_status,
        currency_code,
        order_status = 'confirmed' and ordered_qty > 0 as is_fulfilment_line,
        shipped_qty >= ordered_qty and ordered_qty > 0 as is_shipped_in_full,
        first_shipment_qty >= ordered_qty and ordered_qty > 0 as is_filled_first_time,
        shipped_qty >= ordered_qty
        and ordered_qty > 0
        and last_shipped_at <= promised_at as is_on_time_in_full,
        first_shipment_qty < ordered_qty
        and shipped_qty > first_shipment_qty as is_backordered,

        -- measures
        ordered_qty,
        shipped_qty,
        first_shipment_qty,
        returned_qty,
        delivered_qty,
        invoiced_qty,
        to_invoice_qty,
        net_unit_price,
        amount_untaxed,
        amount_total,
        round(delivered_qty * net_unit_price, 2) as delivered_revenue,
        cost_of_goods,
        round(delivered_qty * net_unit_price, 2) - cost_of_goods as gross_margin,

        -- timestamps
        ordered_at,
        {{ utc_date('ordered_at') }} as ordered_date,
        promised_at,
        first_shipped_at,
        last_shipped_at,
        source_updated_at

    from lines

)

select * from final
