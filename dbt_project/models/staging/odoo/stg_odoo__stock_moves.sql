with

source as (

    select * from {{ source('odoo', 'stock_move') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as move_id,
        product_id,
        product_uom as uom_id,
        location_id as source_location_id,
        location_dest_id as destination_location_id,
        picking_id,
        picking_type_id,
        sale_line_id as sale_order_line_id,
        purchase_line_id as purchase_order_line_id,
        origin_returned_move_id as returned_move_id,
        company_id,

        -- dimensions
        reference as move_ref,
        state as move_state,
        origin,
        picked as is_picked,
        is_in,
        is_out,
        product_id_name as product_name,
        product_uom_name as uom_name,
        picking_type_id_name as picking_type_name,

        -- measures
        product_uom_qty as demand_qty,
        quantity,
        product_qty as demand_qty_product_uom,
        price_unit,
        value,

        -- timestamps
        date as moved_at,
        date_deadline as deadline_at,
        create_date as created_at,
        write_date as updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
