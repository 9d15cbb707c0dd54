{#-
    Masks that keep just enough of a value for a person to recognise it. Every mask returns null
    for a null or blank input.
-#}

{% macro mask_email(expr) -%}
    {%- set email = cx_warehouse.normalize_email(expr) -%}
    case
        when {{ email }} is null then null
        when not {{ cx_warehouse.is_valid_email(expr) }} then '***'
        else {{ dbt.concat([
            'substring(' ~ dbt.split_part(email, "'@'", 1) ~ ', 1, 1)',
            "'***@'",
            dbt.split_part(email, "'@'", 2),
        ]) }}
    end
{%- endmacro %}


{% macro mask_phone(expr) -%}
    {%- set digits = cx_warehouse.phone_digits(expr) -%}
    case
        when {{ cx_warehouse.nullif_blank(expr) }} is null then null
        when coalesce({{ dbt.length(digits) }}, 0) < 4 then '***'
        else {{ dbt.concat(["'***-***-'", dbt.right(digits, 4)]) }}
    end
{%- endmacro %}


{% macro card_last4(expr) -%}
    {%- set digits = cx_warehouse.digits_only(expr) -%}
    case
        when {{ dbt.length(digits) }} >= 12 then {{ dbt.right(digits, 4) }}
    end
{%- endmacro %}


{% macro mask_card(expr) -%}
    {%- set last4 = cx_warehouse.card_last4(expr) -%}
    case
        when {{ last4 }} is not null then {{ dbt.concat(["'**** **** **** '", last4]) }}
    end
{%- endmacro %}


{% macro mask_document(expr) -%}
    {%- set value = cx_warehouse.nullif_blank(expr) -%}
    {#- The tail from the second-to-last digit on: the part that stays readable. -#}
    {%- set tail = cx_warehouse.regex_extract(value, '[0-9][^0-9]*[0-9][^0-9]*$') -%}
    {%- set head = 'substring(' ~ value ~ ', 1, ' ~ dbt.length(value) ~ ' - '
        ~ dbt.length(tail) ~ ')' -%}
    case
        when {{ value }} is not null
            then {{ dbt.concat([cx_warehouse.regex_replace_all(head, '[0-9]', '*'), tail]) }}
    end
{%- endmacro %}


{% macro mask_name(expr) -%}
    {%- set name = cx_warehouse.regex_replace_all(
        cx_warehouse.nullif_blank(expr), '\\s+', ' '
    ) -%}
    {%- set first_name = dbt.split_part(name, "' '", 1) -%}
    {%- set last_name = cx_warehouse.regex_extract(name, '[^ ]+$') -%}
    {%- set first_name_capitalised = dbt.concat([
        'upper(substring(' ~ first_name ~ ', 1, 1))',
        'lower(substring(' ~ first_name ~ ', 2))',
    ]) -%}
    case
        when {{ name }} is null then null
        when {{ name }} not like '% %' then {{ first_name_capitalised }}
        else {{ dbt.concat([
            first_name_capitalised,
            "' '",
            'upper(substring(' ~ last_name ~ ', 1, 1))',
            "'.'",
        ]) }}
    end
{%- endmacro %}
