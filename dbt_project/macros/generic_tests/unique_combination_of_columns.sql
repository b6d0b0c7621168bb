{#
    Compound primary key test: no two rows share the same values in
    `combination_of_columns`. Written here because packages (dbt_utils) cannot be
    installed without network; returns the offending key values and their count.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- set key_columns = combination_of_columns | join(', ') %}

select
    {{ key_columns }},
    count(*) as n_rows
from {{ model }}
group by {{ key_columns }}
having count(*) > 1

{% endtest %}
