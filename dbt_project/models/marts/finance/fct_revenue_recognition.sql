with

events as (

    select * from {{ ref('int_revenue_events') }}

),

warehouses as (

    select * from {{ ref('stg_odoo__warehouses') }}

),

daily as (

    select
        events.event_date as recognition_date,
        events.company_id,
        coalesce(warehouses.warehouse_code, '(none)') as warehouse_code,
        events.channel,
        coalesce(sum(events.revenue) filter (where events.basis = 'shipment'), 0)
            as revenue_at_shipment,
        coalesce(sum(events.revenue) filter (where events.basis = 'invoice'), 0)
            as revenue_at_invoice,
        coalesce(sum(events.cost_of_goods) filter (where events.basis = 'shipment'), 0)
            as cost_of_goods_shipped

    from events

    left join warehouses
        on events.warehouse_id = warehouses.warehouse_id

    group by
        events.event_date,
        events.company_id,
        coalesce(warehouses.warehouse_code, '(none)'),
        events.channel

),

final as (

    select
        -- ids
        recognition_date,
        company_id,
        warehouse_code,
        channel,

        -- measures
        round(revenue_at_shipment, 2) as revenue_at_shipment,
        round(revenue_at_invoice, 2) as revenue_at_invoice,
        round(revenue_at_shipment - revenue_at_invoice, 2) as recognition_difference,
        round(
            sum(revenue_at_shipment - revenue_at_invoice) over (
                partition by company_id, warehouse_code, channel
                order by recognition_date
            ),
            2
        ) as shipped_not_invoiced_cumulative,
        round(cost_of_goods_shipped, 2) as cost_of_goods_shipped

    from daily

)

select * from final
