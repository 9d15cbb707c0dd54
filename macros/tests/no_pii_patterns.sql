{#-
    Fails rows where column_name contains anything matching pii_pattern_regexes() (email,
    phone, card, CPF, CNPJ): the guard that redacted or public columns really are clean.
-#}
{% test no_pii_patterns(model, column_name) %}

    select *
    from {{ model }}
    where
        {{ column_name }} is not null
        and {{ cx_warehouse.contains_pii(column_name) }}

{% endtest %}
