{#
    Golden customers: Odoo commercial partners (companies and lone persons, not their
    contacts) matched on normalised email and VAT. The oldest partner sharing an email or
    a VAT is the golden record; the others are duplicates of it. Contacts inherit their
    company's VAT in Odoo, which is why only commercial partners are compared.
#}
with

partners as (

    select * from {{ ref('stg_odoo__partners') }}

),

commercial as (

    select
        partner_id,
        partner_name,
        nullif(lower(trim(email)), '') as email_key,
        nullif(upper(regexp_replace(vat, '[^A-Za-z0-9]', '', 'g')), '') as vat_key,
        created_at

    from partners

    where
        parent_partner_id is null
        and customer_rank > 0

),

keyed as (

    select
        partner_id,
        partner_name,
        email_key,
        vat_key,
        min(partner_id) over (partition by email_key) as first_by_email,
        min(partner_id) over (partition by vat_key) as first_by_vat,
        count(*) over (partition by email_key) as email_holders,
        count(*) over (partition by vat_key) as vat_holders

    from commercial

),

final as (

    select
        -- ids
        partner_id,
        least(
            case when email_key is not null then first_by_email end,
            case when vat_key is not null then first_by_vat end,
            partner_id
        ) as golden_customer_id,

        -- dimensions
        partner_name,
        email_key as email,
        vat_key as vat,
        case
            when email_key is not null and email_holders > 1 then 'email'
            when vat_key is not null and vat_holders > 1 then 'vat'
        end as duplicate_key,
        (email_key is not null and email_holders > 1)
        or (vat_key is not null and vat_holders > 1) as has_duplicates

    from keyed

)

select * from final
