{% test is_sha256_hex(model, column_name) %}

    select *
    from {{ model }}
    where
        {{ column_name }} is not null
        and not {{ cx_warehouse.regex_matches(
            'cast(' ~ column_name ~ ' as ' ~ dbt.type_string() ~ ')', '^[0-9a-f]{64}$'
        ) }}

{% endtest %}
