{#
    One row per calendar day from 2020 to the end of 2035: wide enough for any history
    Odoo holds here and every due date; extend the bounds, never filter them by data.
#}
with

days as (

    select generated_day::date as date_day

    from generate_series(date '2020-01-01', date '2035-12-31', interval '1 day') as generated_day

),

final as (

    select
        -- ids
        date_day,

        -- dimensions
        extract(isoyear from date_day)::int as iso_year,
        extract(week from date_day)::int as iso_week,
        extract(year from date_day)::int as calendar_year,
        extract(quarter from date_day)::int as calendar_quarter,
        extract(month from date_day)::int as calendar_month,
        date_trunc('month', date_day)::date as month_start_date,
        extract(isodow from date_day)::int as iso_day_of_week,
        extract(isodow from date_day) < 6 as is_weekday

    from days

)

select * from final
