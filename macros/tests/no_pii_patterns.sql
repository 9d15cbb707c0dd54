{% test no_pii_patterns(model, column_name) %}

    select *
    from {{ model }}
    where
        {{ column_name }} is not null
        and {{ cx_warehouse.contains_pii(column_name) }}

{% endtest %}
