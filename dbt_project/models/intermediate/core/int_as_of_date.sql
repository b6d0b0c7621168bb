with

sale_orders as (

    select * from {{ ref('stg_odoo__sale_orders') }}

),

pickings as (

    select * from {{ ref('stg_odoo__stock_pickings') }}

),

account_moves as (

    select * from {{ ref('stg_odoo__account_moves') }}

),

-- The source's own clock: the latest write Odoo recorded on the busiest models.
activity as (

    select max(updated_at) as last_activity_at from sale_orders
    union all
    select max(updated_at) as last_activity_at from pickings
    union all
    select max(updated_at) as last_activity_at from account_moves

),

final as (

    select
        coalesce(
            {{ "date '" ~ var('as_of_date') ~ "'" if var('as_of_date') else 'null::date' }},
            max(last_activity_at)::date,
            current_date
        ) as as_of_date

    from activity

)

select * from final
