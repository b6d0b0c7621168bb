-- Master data the systems disagree on, one row per conflict: customers held twice in
-- Odoo (same email or VAT), SKUs the shop or the 3PL use that match no Odoo product, and
-- carrier status codes the status map does not know.
with

customers as (

    select * from {{ ref('int_customers_matched') }}

),

partners as (

    select * from {{ ref('stg_odoo__partners') }}

),

products as (

    select * from {{ ref('int_products_matched') }}

),

shop_order_lines as (

    select * from {{ ref('stg_shop__order_lines') }}

),

unmapped_statuses as (

    select * from {{ ref('int_unmapped_statuses') }}

),

carrier_events as (

    select * from {{ ref('stg_carrier__events') }}

),

customer_keys as (

    select
        customers.partner_id,
        partners.created_at,
        key_pairs.key_name,
        key_pairs.key_value

    from customers

    inner join partners
        on customers.partner_id = partners.partner_id

    cross join
        lateral (
            values ('email', customers.email), ('vat', customers.vat)
        ) as key_pairs (key_name, key_value)

    where key_pairs.key_value is not null

),

-- A duplicate exists from the moment its second holder was created.
duplicate_customers as (

    select
        'duplicate_customer' as conflict_type,
        key_name,
        key_value,
        count(*) as record_count,
        jsonb_agg(partner_id order by partner_id) as records,
        (array_agg(created_at order by created_at))[2] as conflict_since,
        0::numeric as value_at_risk

    from customer_keys

    group by key_name, key_value

    having count(*) > 1

),

sku_sales as (

    select
        sku,
        sum(line_amount) as sales_amount,
        min(created_at) as first_sold_at

    from shop_order_lines

    group by sku

),

unmatched_skus as (

    select
        'sku_mismatch' as conflict_type,
        'sku' as key_name,
        products.sku as key_value,
        count(*) as record_count,
        jsonb_agg(
            jsonb_build_object('system', products.system, 'match', products.match_method)
            order by products.system
        ) as records,
        min(sku_sales.first_sold_at) as conflict_since,
        coalesce(sum(sku_sales.sales_amount), 0) as value_at_risk

    from products

    left join sku_sales
        on products.system = 'shop' and products.sku = sku_sales.sku

    where products.is_conflict and products.system != 'odoo'

    group by products.sku

),

unknown_carrier_statuses as (

    select
        'unknown_carrier_status' as conflict_type,
        'carrier_status' as key_name,
        unmapped_statuses.source_status as key_value,
        unmapped_statuses.row_count as record_count,
        jsonb_build_array(unmapped_statuses.example_ref) as records,
        (
            select min(carrier_events.occurred_at) as first_event_at
            from carrier_events
            where carrier_events.status_code = unmapped_statuses.source_status
        ) as conflict_since,
        0::numeric as value_at_risk

    from unmapped_statuses

    where unmapped_statuses.system = 'carrier'

),

unioned as (

    select * from duplicate_customers
    union all
    select * from unmatched_skus
    union all
    select * from unknown_carrier_statuses

),

final as (

    select
        -- ids
        md5(conflict_type || '|' || key_name || '|' || key_value) as conflict_id,

        -- dimensions
        conflict_type,
        key_name,
        key_value,
        records,

        -- measures
        record_count,
        value_at_risk,

        -- timestamps
        conflict_since

    from unioned

)

select * from final
