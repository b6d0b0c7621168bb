with

source as (

    select * from {{ source('odoo', 'stock_move_line') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        id as move_line_id,
        move_id,
        picking_id,
        product_id,
        product_uom_id as uom_id,
        location_id as source_location_id,
        location_dest_id as destination_location_id,
        lot_id,
        package_id,
        result_package_id,
        company_id,

        -- dimensions
        state as move_line_state,
        picked as is_picked,
        lot_id_name as lot_name,

        -- measures
        quantity,
        quantity_product_uom,

        -- timestamps
        date as moved_at,
        create_date as created_at,
        write_date as updated_at,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
