with

source as (

    select * from {{ source('odoo', 'sale_order') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as sale_order_id,
        partner_id as customer_id,
        partner_invoice_id as invoice_partner_id,
        partner_shipping_id as shipping_partner_id,
        user_id as salesperson_id,
        team_id as sales_team_id,
        company_id,
        currency_id,
        warehouse_id,

        -- dimensions
        name as order_ref,
        state as order_state,
        invoice_status,
        delivery_status,
        client_order_ref,
        origin,
        partner_id_name as customer_name,
        user_id_name as salesperson_name,
        team_id_name as sales_team_name,
        currency_id_name as currency_code,
        warehouse_id_name as warehouse_name,

        -- measures
        amount_untaxed,
        amount_tax,
        amount_total,

        -- timestamps
        date_order as ordered_at,
        commitment_date as committed_at,
        validity_date as valid_until_date,
        create_date as created_at,
        write_date as updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
