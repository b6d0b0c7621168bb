with

source as (

    select * from {{ source('odoo', 'stock_picking') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as picking_id,
        picking_type_id,
        partner_id,
        location_id as source_location_id,
        location_dest_id as destination_location_id,
        backorder_id as backorder_of_picking_id,
        return_id as returned_picking_id,
        sale_id as sale_order_id,
        user_id as responsible_id,
        company_id,

        -- dimensions
        name as picking_ref,
        state as picking_state,
        origin,
        picking_type_id_name as picking_type_name,
        partner_id_name as partner_name,
        sale_id_name as order_ref,

        -- timestamps
        scheduled_date as scheduled_at,
        date_deadline as deadline_at,
        date_done as done_at,
        create_date as created_at,
        write_date as updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
