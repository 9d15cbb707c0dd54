{#-
    Fails every row where `expression` is false. With column_name (a column-level test) the
    expression is appended to the column: `expression: ">= 0"` tests `amount >= 0`.
    Rows where the expression is null pass, as in dbt_utils.
-#}
{% test expression_is_true(model, expression, column_name=None) %}
    {%- set condition = expression if column_name is none
        else column_name ~ ' ' ~ expression %}

    select *
    from {{ model }}
    where not ({{ condition }})

{% endtest %}
