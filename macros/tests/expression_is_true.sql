{% test expression_is_true(model, expression, column_name=None) %}
    {%- set condition = expression if column_name is none
        else column_name ~ ' ' ~ expression %}

    select *
    from {{ model }}
    where not ({{ condition }})

{% endtest %}
