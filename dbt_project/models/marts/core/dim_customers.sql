with

partners as (

    select * from {{ ref('stg_odoo__partners') }}

),

matched as (

    select * from {{ ref('int_customers_matched') }}

),

final as (

    select
        -- ids
        matched.partner_id as customer_id,
        matched.golden_customer_id,
        partners.country_id,
        partners.company_id,

        -- dimensions
        partners.partner_name as customer_name,
        partners.partner_ref as customer_ref,
        matched.email,
        matched.vat,
        partners.city,
        partners.country_name,
        partners.is_company,
        partners.is_active,
        matched.golden_customer_id != matched.partner_id as is_duplicate,
        matched.has_duplicates,
        matched.duplicate_key,

        -- timestamps
        partners.created_at,
        partners.updated_at

    from matched

    inner join partners
        on matched.partner_id = partners.partner_id

)

select * from final
