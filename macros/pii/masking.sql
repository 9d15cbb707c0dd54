{#-
    Masks that keep just enough of a value for a person to recognise it. Every mask returns null
    for a null or blank input.
-#}

{#-
    First character of the local part + '***@' + domain, lowercased:
    'John.Doe+x@Example.com' -> 'j***@example.com'. '***' when the value is not a valid email.
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


{#- '***-***-' + the last 4 digits ('+55 (11) 91234-5678' -> '***-***-5678'); '***' if < 4. -#}
{% macro mask_phone(expr) -%}
    {%- set digits = cx_warehouse.phone_digits(expr) -%}
    case
        when {{ cx_warehouse.nullif_blank(expr) }} is null then null
        when coalesce({{ dbt.length(digits) }}, 0) < 4 then '***'
        else {{ dbt.concat(["'***-***-'", dbt.right(digits, 4)]) }}
    end
{%- endmacro %}


{#-
    The last 4 digits of a card number written with any separators ('4111 1111-1111 1111' ->
    '1111'); null when it has fewer than 12 digits.
-#}
{% macro card_last4(expr) -%}
    {%- set digits = cx_warehouse.digits_only(expr) -%}
    case
        when {{ dbt.length(digits) }} >= 12 then {{ dbt.right(digits, 4) }}
    end
{%- endmacro %}


{#- '**** **** **** ' + card_last4(expr); null when card_last4 is null. -#}
{% macro mask_card(expr) -%}
    {%- set last4 = cx_warehouse.card_last4(expr) -%}
    case
        when {{ last4 }} is not null then {{ dbt.concat(["'**** **** **** '", last4]) }}
    end
{%- endmacro %}


{#-
    A CPF/CNPJ with every digit but the last two replaced by '*', punctuation kept:
    '123.456.789-09' -> '***.***.***-09', '12.345.678/0001-95' -> '**.***.***/****-95',
    '12345678909' -> '*********09'. A value with fewer than two digits has all its digits masked.
-#}
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


{#-
    First name + ' ' + initial of the last name + '.', capitalised ('maria da SILVA souza' ->
    'Maria S.'); a single name is returned capitalised on its own. Whitespace runs count as one.
-#}
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
