-- Every open disagreement between the systems, one row each: the single list stewards
-- work and dashboards count. Types and key names are DESIGN.md's vocabulary; the owner
-- comes from the seed reconciliation_tolerances.
{#
    One entry per exception type: the reconciliation mart it comes from, the condition
    that makes a row of it an open exception, its keys, cause, value at risk, currency
    and the moment it started to count. `detail` is the whole mart row.
#}
{% set checks = [
    {'type': 'inventory_drift', 'model': 'fct_inventory_reconciliation',
     'where': 'not is_within_tolerance', 'cause': 'missing_event',
     'key_sql': "jsonb_build_object('sku', sku, 'warehouse', warehouse_code)",
     'value': 'difference_value', 'currency': 'null', 'since': 'out_of_tolerance_since'},
    {'type': 'order_missing_in_odoo', 'model': 'fct_order_reconciliation',
     'where': 'is_missing_in_odoo', 'cause': 'missing_event',
     'key_sql': "jsonb_build_object('shop_order_id', shop_order_id)",
     'value': 'order_amount', 'currency': 'currency_code', 'since': 'missing_in_odoo_since'},
    {'type': 'order_status_mismatch', 'model': 'fct_order_reconciliation',
     'where': 'is_status_mismatch', 'cause': 'missing_event',
     'key_sql': "jsonb_build_object('order_ref', order_ref)",
     'value': 'order_amount', 'currency': 'currency_code', 'since': 'status_mismatch_since'},
    {'type': 'stuck_order', 'model': 'fct_order_reconciliation',
     'where': 'is_stuck', 'cause': 'missing_event',
     'key_sql': "jsonb_build_object('order_ref', order_ref)",
     'value': 'order_amount', 'currency': 'currency_code', 'since': 'stuck_since'},
    {'type': 'shipped_not_confirmed', 'model': 'fct_order_reconciliation',
     'where': 'is_shipped_not_confirmed', 'cause': 'missing_event',
     'key_sql': "jsonb_build_object('order_ref', order_ref)",
     'value': 'order_amount', 'currency': 'currency_code',
     'since': 'shipped_not_confirmed_since'},
    {'type': 'delivered_not_invoiced', 'model': 'fct_order_reconciliation',
     'where': 'is_delivered_not_invoiced', 'cause': 'missing_event',
     'key_sql': "jsonb_build_object('order_ref', order_ref)",
     'value': 'uninvoiced_amount', 'currency': 'currency_code', 'since': 'not_invoiced_since'},
    {'type': 'return_without_credit_note', 'model': 'fct_return_reconciliation',
     'where': "reconciliation_status = 'return_without_credit_note'", 'cause': 'missing_event',
     'key_sql': "jsonb_build_object('return_ref', return_ref)",
     'value': 'return_amount', 'currency': 'currency_code', 'since': 'credit_due_at'},
    {'type': 'credit_note_without_return', 'model': 'fct_return_reconciliation',
     'where': "reconciliation_status = 'credit_note_without_return'",
     'cause': 'manual_outside_flow',
     'key_sql': "jsonb_build_object('credit_note_ref', credit_note_ref)",
     'value': 'credit_note_amount', 'currency': 'currency_code',
     'since': 'credited_date::timestamptz'},
    {'type': 'bank_receipt_unmatched', 'model': 'fct_payment_reconciliation',
     'where': "reconciliation_status = 'bank_receipt_unmatched'", 'cause': 'missing_event',
     'key_sql': "jsonb_build_object('bank_line_ref', bank_line_ref)",
     'value': 'abs(bank_amount)', 'currency': 'currency_code',
     'since': 'booking_date::timestamptz'},
    {'type': 'payment_without_bank_line', 'model': 'fct_payment_reconciliation',
     'where': "reconciliation_status = 'payment_without_bank_line'",
     'cause': 'manual_outside_flow',
     'key_sql': "jsonb_build_object('payment_ref', payment_ref)",
     'value': 'abs(payment_amount)', 'currency': 'currency_code',
     'since': 'payment_date::timestamptz'},
    {'type': 'duplicate_customer', 'model': 'fct_master_data_conflicts',
     'where': "conflict_type = 'duplicate_customer'", 'cause': 'duplicate',
     'key_sql': 'jsonb_build_object(key_name, key_value)',
     'value': 'value_at_risk', 'currency': 'null', 'since': 'conflict_since'},
    {'type': 'sku_mismatch', 'model': 'fct_master_data_conflicts',
     'where': "conflict_type = 'sku_mismatch'", 'cause': 'master_data',
     'key_sql': 'jsonb_build_object(key_name, key_value)',
     'value': 'value_at_risk', 'currency': 'null', 'since': 'conflict_since'},
    {'type': 'unknown_carrier_status', 'model': 'fct_master_data_conflicts',
     'where': "conflict_type = 'unknown_carrier_status'", 'cause': 'master_data',
     'key_sql': 'jsonb_build_object(key_name, key_value)',
     'value': 'value_at_risk', 'currency': 'null', 'since': 'conflict_since'},
] %}

with

tolerances as (

    select * from {{ ref('reconciliation_tolerances') }}

),

clock as (

    select as_of from {{ ref('reconciliation_as_of') }}

),

unioned as (

    {% for check in checks %}
        select
            '{{ check['type'] }}'::text as exception_type,
            {{ check['key_sql'] }} as exception_keys,
            '{{ check['cause'] }}'::text as cause,
            {{ check['value'] }}::numeric as value_at_risk,
            {{ check['currency'] }}::text as currency_code,
            {{ check['since'] }} as first_seen_at,
            to_jsonb(mart_rows) as detail,
            '{{ check['model'] }}'::text as source_model

        from {{ ref(check['model']) }} as mart_rows

        where {{ check['where'] }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        -- ids
        md5(unioned.exception_type || '|' || unioned.exception_keys::text) as exception_id,

        -- dimensions
        unioned.exception_type,
        unioned.exception_keys,
        case
            when unioned.value_at_risk >= {{ var('exception_high_value', 5000) }} then 'high'
            when
                unioned.value_at_risk >= {{ var('exception_medium_value', 500) }}
                or clock.as_of - unioned.first_seen_at > interval '7 days'
                then 'medium'
            else 'low'
        end as severity,
        tolerances.owner,
        tolerances.domain,
        unioned.cause,
        unioned.currency_code,
        unioned.detail,
        unioned.source_model,

        -- measures
        round(coalesce(unioned.value_at_risk, 0), 2) as value_at_risk,

        -- timestamps
        unioned.first_seen_at,
        clock.as_of - unioned.first_seen_at as age,
        clock.as_of

    from unioned

    left join tolerances
        on unioned.exception_type = tolerances.exception_type

    cross join clock

)

select * from final
