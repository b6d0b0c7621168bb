{#
    One row per order as the business sees it, from the shop to the bank: the shop's order
    (web orders), Odoo's sales order, the 3PL's shipment confirmations, the carrier's
    tracking, Odoo's invoices and the payments that settle them. Each system's status is
    canonical (seed status_map); a shop order Odoo never received has no order_ref.
    Keys as other systems quote them: shop_order_id (`SHOP-…`) and order_ref (`S…`).
#}
with

shop_orders as (

    select * from {{ ref('stg_shop__orders') }}

),

sale_orders as (

    select * from {{ ref('stg_odoo__sale_orders') }}

),

order_lines as (

    select * from {{ ref('int_sale_order_lines_enriched') }}

),

confirmations as (

    select * from {{ ref('stg_wms__confirmations') }}

),

carrier_events as (

    select * from {{ ref('stg_carrier__events') }}

),

invoices as (

    select * from {{ ref('int_customer_documents_attributed') }}

),

payments as (

    select * from {{ ref('int_payments_matched') }}

),

status_map as (

    select * from {{ ref('status_map') }}

),

shop_mapped as (

    select
        shop_orders.shop_order_id,
        shop_orders.created_at as shop_created_at,
        shop_orders.cancelled_at as shop_cancelled_at,
        shop_orders.total_price as shop_total_price,
        coalesce(financial.canonical_status, 'unmapped') as shop_financial_status,
        coalesce(fulfillment.canonical_status, 'unmapped') as shop_fulfillment_status

    from shop_orders

    {{ map_status('shop', 'order_financial', 'shop_orders.financial_status', 'financial') }}

    {{ map_status('shop', 'order_fulfillment', 'shop_orders.fulfillment_status', 'fulfillment') }}

),

odoo_orders as (

    select
        sale_order_id,
        min(order_ref) as order_ref,
        min(client_order_ref) as client_order_ref,
        min(channel) as channel,
        min(company_id) as company_id,
        min(warehouse_id) as warehouse_id,
        min(order_status) as odoo_order_status,
        min(ordered_at) as ordered_at,
        min(promised_at) as promised_at,
        min(first_shipped_at) as odoo_first_shipped_at,
        max(last_shipped_at) as odoo_last_shipped_at,
        sum(ordered_qty) as ordered_qty,
        sum(shipped_qty) as odoo_shipped_qty,
        sum(to_invoice_qty) as to_invoice_qty

    from order_lines

    group by sale_order_id

),

odoo_totals as (

    select
        odoo_orders.*,
        sale_orders.amount_total as odoo_amount_total

    from odoo_orders

    inner join sale_orders
        on odoo_orders.sale_order_id = sale_orders.sale_order_id

),

wms_shipments as (

    select
        confirmations.order_ref,
        min(confirmations.confirmed_at) filter (where status_map.canonical_status = 'shipped')
            as wms_shipped_at,
        sum(confirmations.quantity) filter (where status_map.canonical_status = 'shipped')
            as wms_shipped_qty,
        bool_or(status_map.canonical_status = 'cancelled') as has_wms_cancellation

    from confirmations

    left join status_map
        on
            status_map.system = 'wms'
            and status_map.entity = 'shipment_confirmation'
            and confirmations.status_code = status_map.source_status

    where confirmations.confirmation_type = 'shipment'

    group by confirmations.order_ref

),

carrier_latest as (

    select
        carrier_events.order_ref,
        carrier_events.occurred_at,
        coalesce(status_map.canonical_status, 'unmapped') as carrier_status,
        row_number() over (
            partition by carrier_events.order_ref
            order by carrier_events.occurred_at desc, carrier_events.event_id desc
        ) as recency

    from carrier_events

    left join status_map
        on
            status_map.system = 'carrier'
            and status_map.entity = 'tracking_event'
            and carrier_events.status_code = status_map.source_status

),

carrier_tracking as (

    select
        carrier_latest.order_ref,
        min(carrier_latest.occurred_at) as carrier_picked_up_at,
        max(carrier_latest.occurred_at) filter (where carrier_latest.carrier_status = 'delivered')
            as carrier_delivered_at,
        min(carrier_latest.carrier_status) filter (where carrier_latest.recency = 1)
            as carrier_status

    from carrier_latest

    group by carrier_latest.order_ref

),

invoicing as (

    select
        sale_order_id,
        min(invoice_date) filter (where move_type = 'out_invoice') as first_invoiced_date,
        sum(amount_total) filter (where move_type = 'out_invoice') as invoiced_total,
        sum(-amount_total) filter (where move_type = 'out_refund') as credited_total

    from invoices

    where document_status = 'posted'

    group by sale_order_id

),

settlement as (

    select
        invoices.sale_order_id,
        max(payments.payment_date) as last_paid_date,
        sum(payments.signed_amount) as paid_total

    from payments

    inner join invoices
        on payments.settled_account_move_id = invoices.account_move_id

    where payments.payment_status = 'posted'

    group by invoices.sale_order_id

),

joined as (

    select
        odoo_totals.sale_order_id,
        coalesce(shop_mapped.shop_order_id, odoo_totals.client_order_ref) as client_order_ref,
        shop_mapped.shop_order_id,
        odoo_totals.order_ref,
        coalesce(odoo_totals.channel, 'web') as channel,
        odoo_totals.company_id,
        odoo_totals.warehouse_id,
        shop_mapped.shop_financial_status,
        shop_mapped.shop_fulfillment_status,
        odoo_totals.odoo_order_status,
        wms_shipments.has_wms_cancellation,
        carrier_tracking.carrier_status,
        shop_mapped.shop_total_price,
        odoo_totals.odoo_amount_total,
        odoo_totals.ordered_qty,
        odoo_totals.odoo_shipped_qty,
        wms_shipments.wms_shipped_qty,
        odoo_totals.to_invoice_qty,
        invoicing.invoiced_total,
        invoicing.credited_total,
        settlement.paid_total,
        shop_mapped.shop_created_at,
        shop_mapped.shop_cancelled_at,
        odoo_totals.ordered_at,
        odoo_totals.promised_at,
        wms_shipments.wms_shipped_at,
        odoo_totals.odoo_first_shipped_at,
        odoo_totals.odoo_last_shipped_at,
        carrier_tracking.carrier_picked_up_at,
        carrier_tracking.carrier_delivered_at,
        invoicing.first_invoiced_date,
        settlement.last_paid_date

    from odoo_totals

    full outer join shop_mapped
        on odoo_totals.client_order_ref = shop_mapped.shop_order_id

    left join wms_shipments
        on odoo_totals.order_ref = wms_shipments.order_ref

    left join carrier_tracking
        on odoo_totals.order_ref = carrier_tracking.order_ref

    left join invoicing
        on odoo_totals.sale_order_id = invoicing.sale_order_id

    left join settlement
        on odoo_totals.sale_order_id = settlement.sale_order_id

),

final as (

    select
        -- ids
        coalesce(order_ref, shop_order_id) as order_key,
        sale_order_id,
        shop_order_id,
        order_ref,
        company_id,
        warehouse_id,

        -- dimensions
        channel,
        shop_financial_status,
        shop_fulfillment_status,
        odoo_order_status,
        coalesce(has_wms_cancellation, false) as has_wms_cancellation,
        carrier_status,
        -- The furthest stage any system has reached.
        case
            when order_ref is null then 'not_in_odoo'
            when odoo_order_status = 'cancelled' then 'cancelled'
            when odoo_order_status = 'draft' then 'quotation'
            when paid_total is not null and paid_total >= invoiced_total then 'paid'
            when invoiced_total is not null then 'invoiced'
            when carrier_delivered_at is not null then 'delivered'
            when odoo_first_shipped_at is not null or wms_shipped_at is not null then 'shipped'
            else 'confirmed'
        end as lifecycle_stage,

        -- measures
        shop_total_price,
        odoo_amount_total,
        ordered_qty,
        odoo_shipped_qty,
        wms_shipped_qty,
        to_invoice_qty,
        invoiced_total,
        credited_total,
        paid_total,

        -- timestamps
        shop_created_at,
        shop_cancelled_at,
        ordered_at,
        promised_at,
        wms_shipped_at,
        odoo_first_shipped_at,
        odoo_last_shipped_at,
        carrier_picked_up_at,
        carrier_delivered_at,
        first_invoiced_date,
        last_paid_date

    from joined

)

select * from final
