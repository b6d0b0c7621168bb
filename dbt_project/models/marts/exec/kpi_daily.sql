{#
    The executive KPIs per day, company, warehouse and channel. Each day's numerators and
    denominators are kept beside the ratios so a dashboard can re-aggregate any period
    correctly (sum the parts, then divide). Rows with channel '(all)' total the channels
    and alone carry the KPIs that have no channel (inventory, suppliers). Definitions:
    _exec__models.yml.
#}
{% set parts = {
    'sales_facts': ['revenue', 'revenue_at_shipment', 'shipped_sales_value', 'cost_of_goods'],
    'placed_facts': ['orders'],
    'fill_facts': ['lines_shipped', 'lines_filled', 'units_ordered', 'units_filled'],
    'shipped_order_facts': ['orders_shipped', 'orders_backordered'],
    'due_order_facts': ['orders_due', 'orders_otif'],
    'return_facts': ['returned_sales_value'],
    'invoiced_facts': ['invoiced_total'],
    'collected_facts': ['collected_total'],
} %}
{% set measures = [] %}
{% for cols in parts.values() %}{% do measures.extend(cols) %}{% endfor %}

with

revenue_events as (

    select * from {{ ref('int_revenue_events') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

returns as (

    select * from {{ ref('fct_returns') }}

),

invoices as (

    select * from {{ ref('fct_invoices') }}

),

payments as (

    select * from {{ ref('fct_payments') }}

),

inventory as (

    select * from {{ ref('fct_inventory_daily') }}

),

receipts as (

    select * from {{ ref('fct_purchase_receipts') }}

),

warehouses as (

    select * from {{ ref('stg_odoo__warehouses') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

-- Orders: one row per order with its lines' verdicts.
orders as (

    select
        sale_order_id,
        company_id,
        warehouse_id,
        channel,
        min(ordered_date) as ordered_date,
        min(order_status) as order_status,
        {{ utc_date('min(promised_at)') }} as promised_date,
        {{ utc_date('min(first_shipped_at)') }} as first_shipped_date,
        bool_and(is_on_time_in_full) filter (where is_fulfilment_line) as is_otif,
        bool_or(is_backordered) as is_backordered

    from order_lines

    group by sale_order_id, company_id, warehouse_id, channel

),

sales_facts as (

    select
        event_date as date_day,
        company_id,
        warehouse_id,
        channel,
        sum(revenue) filter (where basis = 'invoice') as revenue,
        sum(revenue) filter (where basis = 'shipment') as revenue_at_shipment,
        sum(revenue) filter (where basis = 'shipment' and revenue > 0) as shipped_sales_value,
        sum(cost_of_goods) filter (where basis = 'shipment') as cost_of_goods

    from revenue_events

    group by event_date, company_id, warehouse_id, channel

),

placed_facts as (

    select
        ordered_date as date_day,
        company_id,
        warehouse_id,
        channel,
        count(*) as orders

    from orders

    where order_status = 'confirmed'

    group by ordered_date, company_id, warehouse_id, channel

),

fill_facts as (

    select
        {{ utc_date('first_shipped_at') }} as date_day,
        company_id,
        warehouse_id,
        channel,
        count(*) as lines_shipped,
        count(*) filter (where is_filled_first_time) as lines_filled,
        sum(ordered_qty) as units_ordered,
        sum(least(first_shipment_qty, ordered_qty)) as units_filled

    from order_lines

    where
        is_fulfilment_line
        and first_shipped_at is not null

    group by {{ utc_date('first_shipped_at') }}, company_id, warehouse_id, channel

),

shipped_order_facts as (

    select
        first_shipped_date as date_day,
        company_id,
        warehouse_id,
        channel,
        count(*) as orders_shipped,
        count(*) filter (where is_backordered) as orders_backordered

    from orders

    where
        order_status = 'confirmed'
        and first_shipped_date is not null

    group by first_shipped_date, company_id, warehouse_id, channel

),

due_order_facts as (

    select
        orders.promised_date as date_day,
        orders.company_id,
        orders.warehouse_id,
        orders.channel,
        count(*) as orders_due,
        count(*) filter (where orders.is_otif) as orders_otif

    from orders

    cross join as_of

    where
        orders.order_status = 'confirmed'
        and orders.promised_date <= as_of.as_of_date

    group by orders.promised_date, orders.company_id, orders.warehouse_id, orders.channel

),

order_channels as (

    select distinct
        sale_order_id,
        channel

    from order_lines

),

return_facts as (

    select
        returns.returned_date as date_day,
        returns.company_id,
        returns.warehouse_id,
        coalesce(order_channels.channel, 'unattributed') as channel,
        sum(returns.returned_sales_value) as returned_sales_value

    from returns

    left join order_channels
        on returns.sale_order_id = order_channels.sale_order_id

    where returns.returned_date is not null

    group by
        returns.returned_date,
        returns.company_id,
        returns.warehouse_id,
        coalesce(order_channels.channel, 'unattributed')

),

invoiced_facts as (

    select
        invoice_date as date_day,
        company_id,
        warehouse_id,
        channel,
        sum(amount_total) as invoiced_total

    from invoices

    where
        document_status = 'posted'
        and invoice_date is not null

    group by invoice_date, company_id, warehouse_id, channel

),

collected_facts as (

    select
        payments.payment_date as date_day,
        invoices.company_id,
        invoices.warehouse_id,
        invoices.channel,
        -- a refund paid out (negative) closes a credit note (negative) the same way
        sum(payments.signed_amount) as collected_total

    from payments

    inner join invoices
        on payments.invoice_id = invoices.invoice_id

    where payments.payment_status = 'posted'

    group by payments.payment_date, invoices.company_id, invoices.warehouse_id, invoices.channel

),

channel_facts as (

    {% for part, cols in parts.items() %}
        select
            date_day,
            company_id,
            channel,
            {% for measure in measures -%}
                {{ measure if measure in cols else 'null' }}::numeric as {{ measure }},
            {% endfor %}
            coalesce(warehouse_id, 0) as warehouse_key
        from {{ part }}
        {{ 'union all' if not loop.last }}
    {% endfor %}

),

by_channel as (

    select
        date_day,
        company_id,
        warehouse_key,
        channel,
        {% for measure in measures %}
            coalesce(sum({{ measure }}), 0) as {{ measure }},
        {% endfor %}
        null::numeric as inventory_value,
        null::numeric as receipts,
        null::numeric as receipts_on_time,
        null::numeric as lead_time_days_total

    from channel_facts

    group by date_day, company_id, warehouse_key, channel

),

inventory_facts as (

    select
        snapshot_date as date_day,
        company_id,
        warehouse_id as warehouse_key,
        sum(inventory_value) as inventory_value

    from inventory

    group by snapshot_date, company_id, warehouse_id

),

receipt_facts as (

    select
        received_date as date_day,
        company_id,
        warehouse_id as warehouse_key,
        count(*) as receipts,
        count(*) filter (where is_on_time) as receipts_on_time,
        sum(lead_time_days) as lead_time_days_total

    from receipts

    where received_date is not null

    group by received_date, company_id, warehouse_id

),

channel_totals as (

    select
        date_day,
        company_id,
        {% for measure in measures %}
            sum({{ measure }}) as {{ measure }},
        {% endfor %}
        warehouse_key

    from by_channel

    group by date_day, company_id, warehouse_key

),

all_keys as (

    select
        date_day,
        company_id,
        warehouse_key
    from channel_totals
    union
    select
        date_day,
        company_id,
        warehouse_key
    from inventory_facts
    union
    select
        date_day,
        company_id,
        warehouse_key
    from receipt_facts

),

all_channels as (

    select
        all_keys.date_day,
        all_keys.company_id,
        all_keys.warehouse_key,
        '(all)'::text as channel,
        {% for measure in measures %}
            coalesce(channel_totals.{{ measure }}, 0) as {{ measure }},
        {% endfor %}
        coalesce(inventory_facts.inventory_value, 0) as inventory_value,
        coalesce(receipt_facts.receipts, 0) as receipts,
        coalesce(receipt_facts.receipts_on_time, 0) as receipts_on_time,
        coalesce(receipt_facts.lead_time_days_total, 0) as lead_time_days_total

    from all_keys

    left join channel_totals
        on
            all_keys.date_day = channel_totals.date_day
            and all_keys.company_id = channel_totals.company_id
            and all_keys.warehouse_key = channel_totals.warehouse_key

    left join inventory_facts
        on
            all_keys.date_day = inventory_facts.date_day
            and all_keys.company_id = inventory_facts.company_id
            and all_keys.warehouse_key = inventory_facts.warehouse_key

    left join receipt_facts
        on
            all_keys.date_day = receipt_facts.date_day
            and all_keys.company_id = receipt_facts.company_id
            and all_keys.warehouse_key = receipt_facts.warehouse_key

),

combined as (

    select * from by_channel
    union all
    select * from all_channels

),

windowed as (

    select
        combined.*,
        sum(combined.invoiced_total - combined.collected_total) over running as receivables_open,
        sum(combined.invoiced_total) over last_90_days as invoiced_total_90d,
        sum(combined.cost_of_goods) over last_90_days as cost_of_goods_90d,
        sum(combined.cost_of_goods) over last_30_days as cost_of_goods_30d,
        avg(combined.inventory_value) over last_90_days as inventory_value_avg_90d

    from combined

    window
        running as (
            partition by combined.company_id, combined.warehouse_key, combined.channel
            order by combined.date_day
        ),
        last_90_days as (
            partition by combined.company_id, combined.warehouse_key, combined.channel
            order by combined.date_day
            range between interval '89 days' preceding and current row
        ),
        last_30_days as (
            partition by combined.company_id, combined.warehouse_key, combined.channel
            order by combined.date_day
            range between interval '29 days' preceding and current row
        )

),

final as (

    select
        -- ids
        windowed.date_day,
        windowed.company_id,
        coalesce(warehouses.warehouse_code, '(none)') as warehouse_code,
        windowed.channel,

        -- measures: sales
        round(windowed.revenue, 2) as revenue,
        round(windowed.revenue_at_shipment, 2) as revenue_at_shipment,
        round(windowed.cost_of_goods, 2) as cost_of_goods,
        round(windowed.revenue_at_shipment - windowed.cost_of_goods, 2) as gross_margin,
        round(
            (windowed.revenue_at_shipment - windowed.cost_of_goods)
            / nullif(windowed.revenue_at_shipment, 0),
            4
        ) as gross_margin_pct,
        windowed.orders::bigint as orders,

        -- measures: fulfilment
        windowed.lines_shipped::bigint as lines_shipped,
        windowed.lines_filled::bigint as lines_filled,
        round(windowed.lines_filled / nullif(windowed.lines_shipped, 0), 4) as line_fill_rate,
        windowed.units_ordered,
        windowed.units_filled,
        round(windowed.units_filled / nullif(windowed.units_ordered, 0), 4) as unit_fill_rate,
        windowed.orders_due::bigint as orders_due,
        windowed.orders_otif::bigint as orders_otif,
        round(windowed.orders_otif / nullif(windowed.orders_due, 0), 4) as otif_rate,
        windowed.orders_shipped::bigint as orders_shipped,
        windowed.orders_backordered::bigint as orders_backordered,
        round(windowed.orders_backordered / nullif(windowed.orders_shipped, 0), 4)
            as backorder_rate,
        round(windowed.returned_sales_value, 2) as returned_sales_value,
        round(windowed.shipped_sales_value, 2) as shipped_sales_value,
        round(windowed.returned_sales_value / nullif(windowed.shipped_sales_value, 0), 4)
            as return_rate,

            -- measures: receivables
        round(windowed.invoiced_total, 2) as invoiced_total,
        round(windowed.collected_total, 2) as collected_total,
        round(windowed.receivables_open, 2) as receivables_open,
        round(windowed.receivables_open / nullif(windowed.invoiced_total_90d, 0) * 90, 1)
            as dso_days,

            -- measures: inventory (channel '(all)' only)
        round(windowed.inventory_value, 2) as inventory_value,
        round(
            windowed.cost_of_goods_90d * 365.0 / 90 / nullif(windowed.inventory_value_avg_90d, 0), 2
        ) as inventory_turns,
        round(windowed.inventory_value / nullif(windowed.cost_of_goods_30d / 30, 0), 1)
            as days_of_supply,

            -- measures: suppliers (channel '(all)' only)
        windowed.receipts::bigint as receipts,
        windowed.receipts_on_time::bigint as receipts_on_time,
        round(windowed.receipts_on_time / nullif(windowed.receipts, 0), 4) as supplier_on_time_rate,
        round(windowed.lead_time_days_total / nullif(windowed.receipts, 0), 2)
            as supplier_lead_time_days

    from windowed

    left join warehouses
        on windowed.warehouse_key = warehouses.warehouse_id

)

select * from final
