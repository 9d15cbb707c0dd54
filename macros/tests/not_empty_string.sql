{% test not_empty_string(model, column_name) %}

    select *
    from {{ model }}
    where trim(cast({{ column_name }} as {{ dbt.type_string() }})) = ''

{% endtest %}
