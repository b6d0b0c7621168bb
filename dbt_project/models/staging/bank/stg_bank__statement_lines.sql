with

source as (

    select * from {{ source('bank', 'statement_lines') }}
    -- tombstoned rows are gone at the source
    where _deleted_at is null

),

renamed as (

    select
        -- ids
        bank_line_ref,
        account_iban,

        -- dimensions
        currency as currency_code,
        counterparty_name,
        remittance_info,

        -- measures
        amount,

        -- timestamps
        booking_date,
        value_date,

        -- lineage
        _source_file,
        _source_line,

        -- loader metadata
        _batch_id,
        _extracted_at,
        _published_at

    from source

)

select * from renamed
