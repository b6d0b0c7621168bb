{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key=['snapshot_date', 'product_id', 'warehouse_id'],
        on_schema_change='append_new_columns',
    )
}}

{#
    End-of-day stock per product and warehouse, rebuilt from done stock moves (Odoo keeps
    quants equal to the sum of done moves). Incremental runs recompute the last
    `reopen_days` days only, from an opening balance of everything before them, so a
    move validated late still lands on its own day.
#}
{%- set reopen_days = 3 -%}

with

moves as (

    select * from {{ ref('int_stock_moves_classified') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

dates as (

    select * from {{ ref('dim_dates') }}

),

products as (

    select * from {{ ref('stg_odoo__products') }}

),

warehouses as (

    select * from {{ ref('stg_odoo__warehouses') }}

),

product_values as (

    select * from {{ ref('stg_odoo__product_values') }}

),

window_start as (

    {% if is_incremental() %}
        select max(snapshot_date) - {{ reopen_days }} as first_date from {{ this }}
    {% else %}
        select min(moved_date) as first_date from moves
    {% endif %}

),

stock_moves as (

    select
        moves.product_id,
        moves.warehouse_id,
        moves.moved_date,
        moves.stock_qty_change

    from moves

    where
        moves.is_done
        and moves.warehouse_id is not null
        and moves.stock_qty_change != 0

),

opening as (

    select
        stock_moves.product_id,
        stock_moves.warehouse_id,
        sum(stock_moves.stock_qty_change) as opening_qty

    from stock_moves

    cross join window_start

    where stock_moves.moved_date < window_start.first_date

    group by stock_moves.product_id, stock_moves.warehouse_id

),

daily_changes as (

    select
        stock_moves.product_id,
        stock_moves.warehouse_id,
        stock_moves.moved_date,
        sum(stock_moves.stock_qty_change) as qty_change

    from stock_moves

    cross join window_start

    where stock_moves.moved_date >= window_start.first_date

    group by stock_moves.product_id, stock_moves.warehouse_id, stock_moves.moved_date

),

pairs as (

    select
        product_id,
        warehouse_id
    from opening
    union
    select
        product_id,
        warehouse_id
    from daily_changes

),

spine as (

    select
        pairs.product_id,
        pairs.warehouse_id,
        dates.date_day as snapshot_date

    from pairs

    cross join window_start

    cross join as_of

    inner join dates
        on dates.date_day between window_start.first_date and as_of.as_of_date

),

balances as (

    select
        spine.product_id,
        spine.warehouse_id,
        spine.snapshot_date,
        coalesce(daily_changes.qty_change, 0) as qty_change,
        coalesce(opening.opening_qty, 0)
        + sum(coalesce(daily_changes.qty_change, 0)) over (
            partition by spine.product_id, spine.warehouse_id
            order by spine.snapshot_date
        ) as on_hand_qty

    from spine

    left join daily_changes
        on
            spine.product_id = daily_changes.product_id
            and spine.warehouse_id = daily_changes.warehouse_id
            and spine.snapshot_date = daily_changes.moved_date

    left join opening
        on
            spine.product_id = opening.product_id
            and spine.warehouse_id = opening.warehouse_id

),

-- Unit cost history per product and company: each valuation entry holds until the next.
unit_costs as (

    select
        product_id,
        company_id,
        value as unit_cost,
        {{ utc_date('valued_at') }} as valid_from,
        coalesce(
            lead({{ utc_date('valued_at') }}) over (
                partition by product_id, company_id order by valued_at, product_value_id
            ),
            date '9999-12-31'
        ) as valid_to

    from product_values

    where move_id is null

),

final as (

    select
        -- ids
        balances.snapshot_date,
        balances.product_id,
        balances.warehouse_id,
        warehouses.company_id,

        -- dimensions
        products.default_code as sku,
        warehouses.warehouse_code,

        -- measures
        balances.on_hand_qty,
        balances.qty_change,
        coalesce(unit_costs.unit_cost, products.standard_price, 0) as unit_cost,
        round(
            balances.on_hand_qty * coalesce(unit_costs.unit_cost, products.standard_price, 0), 2
        ) as inventory_value

    from balances

    inner join warehouses
        on balances.warehouse_id = warehouses.warehouse_id

    left join products
        on balances.product_id = products.product_id

    left join unit_costs
        on
            balances.product_id = unit_costs.product_id
            and warehouses.company_id = unit_costs.company_id
            and balances.snapshot_date >= unit_costs.valid_from
            and balances.snapshot_date < unit_costs.valid_to

)

select * from final
