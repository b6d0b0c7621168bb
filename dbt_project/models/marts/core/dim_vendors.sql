with

partners as (

    select * from {{ ref('stg_odoo__partners') }}

),

purchase_orders as (

    select * from {{ ref('stg_odoo__purchase_orders') }}

),

ordered_from as (

    select distinct vendor_id from purchase_orders

),

final as (

    select
        -- ids
        partners.partner_id as vendor_id,
        partners.country_id,
        partners.company_id,

        -- dimensions
        partners.partner_name as vendor_name,
        partners.partner_ref as vendor_ref,
        lower(trim(partners.email)) as email,
        partners.vat,
        partners.city,
        partners.country_name,
        partners.is_active,

        -- timestamps
        partners.created_at,
        partners.updated_at

    from partners

    left join ordered_from
        on partners.partner_id = ordered_from.vendor_id

    where
        partners.parent_partner_id is null
        and (partners.supplier_rank > 0 or ordered_from.vendor_id is not null)

)

select * from final
