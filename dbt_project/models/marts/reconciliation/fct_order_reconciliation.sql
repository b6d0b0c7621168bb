-- One row per order as each system sees it (Odoo sale order and/or shop order), with
-- each system's canonical status and the checks that turn disagreements into exceptions.
with

sale_orders as (

    select * from {{ ref('stg_odoo__sale_orders') }}

),

sale_order_lines as (

    select * from {{ ref('stg_odoo__sale_order_lines') }}

),

pickings as (

    select * from {{ ref('stg_odoo__stock_pickings') }}

),

shop_orders as (

    select * from {{ ref('stg_shop__orders') }}

),

confirmations as (

    select * from {{ ref('stg_wms__confirmations') }}

),

carrier_events as (

    select * from {{ ref('stg_carrier__events') }}

),

clock as (

    select as_of from {{ ref('reconciliation_as_of') }}

),

-- Odoo's own deliveries (returns excluded) per order.
deliveries as (

    select
        sale_order_id,
        count(*) filter (where picking_state = 'done') as done_delivery_count,
        max(done_at) as last_delivered_at

    from pickings

    where sale_order_id is not null and returned_picking_id is null

    group by sale_order_id

),

uninvoiced as (

    select
        sale_order_id,
        sum(to_invoice_qty * price_unit * (1 - coalesce(discount_percent, 0) / 100))
            as uninvoiced_amount

    from sale_order_lines

    where to_invoice_qty > 0

    group by sale_order_id

),

-- What the 3PL shipped (cancellations are not shipments), and what of it Odoo has
-- not validated yet.
wms_shipments as (

    select
        confirmations.order_ref,
        min(confirmations.confirmed_at) as first_shipped_at,
        min(confirmations.confirmed_at) filter (
            where coalesce(pickings.picking_state, 'missing') not in ('done', 'cancel')
        ) as first_unvalidated_at

    from confirmations

    left join pickings
        on confirmations.picking_ref = pickings.picking_ref

    {{ map_status('wms', 'shipment_confirmation', 'confirmations.status_code', 'wms_status') }}

    where
        confirmations.confirmation_type = 'shipment'
        and coalesce(wms_status.canonical_status, 'unmapped') != 'cancelled'

    group by confirmations.order_ref

),

carrier_latest as (

    select distinct on (order_ref)
        order_ref,
        status_code as carrier_status_code,
        occurred_at as carrier_status_at

    from carrier_events

    order by order_ref asc, occurred_at desc, event_id desc

),

odoo_orders as (

    select
        sale_orders.sale_order_id,
        sale_orders.order_ref,
        sale_orders.client_order_ref as shop_order_id,
        sale_orders.company_id,
        sale_orders.currency_code,
        sale_orders.order_state as odoo_state,
        case
            when order_status.canonical_status = 'confirmed'
                then coalesce(delivery_status.canonical_status, 'unmapped')
            else coalesce(order_status.canonical_status, 'unmapped')
        end as odoo_status,
        sale_orders.amount_total,
        sale_orders.ordered_at as confirmed_at,
        coalesce(deliveries.done_delivery_count, 0) as done_delivery_count,
        deliveries.last_delivered_at,
        uninvoiced.uninvoiced_amount

    from sale_orders

    {{ map_status('odoo', 'sale_order', 'sale_orders.order_state', 'order_status') }}

    {{ map_status(
        'odoo', 'sale_order_delivery_status', 'sale_orders.delivery_status', 'delivery_status'
    ) }}

    left join deliveries
        on sale_orders.sale_order_id = deliveries.sale_order_id

    left join uninvoiced
        on sale_orders.sale_order_id = uninvoiced.sale_order_id

),

shop as (

    select
        shop_orders.shop_order_id,
        shop_orders.currency_code,
        shop_orders.total_price,
        shop_orders.created_at,
        shop_orders.cancelled_at,
        shop_orders.updated_at,
        case
            when shop_orders.is_cancelled or financial_status.canonical_status = 'cancelled'
                then 'cancelled'
            else coalesce(fulfillment_status.canonical_status, 'unmapped')
        end as shop_status

    from shop_orders

    {{ map_status(
        'shop', 'order_financial', 'shop_orders.financial_status', 'financial_status'
    ) }}

    {{ map_status(
        'shop', 'order_fulfillment', 'shop_orders.fulfillment_status', 'fulfillment_status'
    ) }}

),

joined as (

    select
        coalesce(odoo_orders.order_ref, shop.shop_order_id) as order_key,
        odoo_orders.sale_order_id,
        odoo_orders.order_ref,
        coalesce(odoo_orders.shop_order_id, shop.shop_order_id) as shop_order_id,
        odoo_orders.company_id,
        coalesce(odoo_orders.currency_code, shop.currency_code) as currency_code,
        odoo_orders.odoo_state,
        odoo_orders.odoo_status,
        shop.shop_status,
        case
            when wms_shipments.first_shipped_at is not null then 'shipped'
        end as wms_status,
        carrier_latest.carrier_status_code,
        coalesce(odoo_orders.amount_total, shop.total_price) as order_amount,
        odoo_orders.uninvoiced_amount,
        odoo_orders.done_delivery_count,
        shop.created_at as shop_created_at,
        shop.cancelled_at as shop_cancelled_at,
        shop.updated_at as shop_updated_at,
        odoo_orders.confirmed_at,
        odoo_orders.last_delivered_at,
        wms_shipments.first_shipped_at as wms_first_shipped_at,
        wms_shipments.first_unvalidated_at as wms_first_unvalidated_at,
        carrier_latest.carrier_status_at,
        clock.as_of

    from odoo_orders

    full outer join shop
        on odoo_orders.shop_order_id = shop.shop_order_id

    left join wms_shipments
        on odoo_orders.order_ref = wms_shipments.order_ref

    left join carrier_latest
        on odoo_orders.order_ref = carrier_latest.order_ref

    cross join clock

),

-- Each check names when its disagreement started to count (past its tolerance).
checked as (

    select
        *,
        case
            when
                order_ref is null and shop_status != 'cancelled'
                then shop_created_at + {{ tolerance_interval('order_missing_in_odoo') }}
        end as missing_in_odoo_since,
        case
            when
                odoo_status != shop_status
                and odoo_status != 'draft'
                and shop_status is not null
                then coalesce(shop_cancelled_at, shop_updated_at)
        end as status_mismatch_since,
        case
            when
                odoo_status in ('not_shipped', 'partially_shipped')
                and wms_first_unvalidated_at is null
                and coalesce(shop_status, 'none') != 'cancelled'
                then confirmed_at + {{ tolerance_interval('stuck_order') }}
        end as stuck_since,
        wms_first_unvalidated_at
        + {{ tolerance_interval('shipped_not_confirmed') }} as shipped_not_confirmed_since,
        case
            when uninvoiced_amount > 0
                then last_delivered_at + {{ tolerance_interval('delivered_not_invoiced') }}
        end as not_invoiced_since

    from joined

),

final as (

    select
        -- ids
        order_key,
        sale_order_id,
        order_ref,
        shop_order_id,
        company_id,

        -- dimensions
        currency_code,
        odoo_state,
        odoo_status,
        shop_status,
        wms_status,
        carrier_status_code,
        coalesce(missing_in_odoo_since <= as_of, false) as is_missing_in_odoo,
        coalesce(status_mismatch_since <= as_of, false) as is_status_mismatch,
        coalesce(stuck_since <= as_of, false) as is_stuck,
        coalesce(shipped_not_confirmed_since <= as_of, false) as is_shipped_not_confirmed,
        coalesce(not_invoiced_since <= as_of, false) as is_delivered_not_invoiced,

        -- measures
        order_amount,
        uninvoiced_amount,
        done_delivery_count,

        -- timestamps
        shop_created_at,
        shop_cancelled_at,
        confirmed_at,
        last_delivered_at,
        wms_first_shipped_at,
        carrier_status_at,
        missing_in_odoo_since,
        status_mismatch_since,
        stuck_since,
        shipped_not_confirmed_since,
        not_invoiced_since

    from checked

)

select * from final
