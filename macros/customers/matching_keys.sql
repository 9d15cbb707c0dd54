{#-
    Matching keys for identity resolution (models/restricted/matching). They read raw contact
    details, so only models in the restricted schema call them.
-#}

{% macro fold_accents(expr) -%}
    translate(
        lower({{ expr }}),
        'áàâãäåéèêëíìîïóòôõöúùûüçñý',
        'aaaaaaeeeeiiiiooooouuuucny'
    )
{%- endmacro %}


{% macro normalize_person_name(expr) -%}
    nullif(trim({{ cx_warehouse.regex_replace_all(
        cx_warehouse.fold_accents(expr), '[^a-z]+', ' '
    ) }}), '')
{%- endmacro %}


{% macro email_local_key(expr) -%}
    nullif({{ cx_warehouse.regex_replace_all(
        cx_warehouse.regex_replace_all(
            dbt.split_part(cx_warehouse.normalize_email(expr), "'@'", 1), '[+].*$', ''
        ),
        '[.]', ''
    ) }}, '')
{%- endmacro %}


{% macro email_match_key(expr) -%}
    {%- set email = cx_warehouse.normalize_email(expr) -%}
    case
        when {{ email }} like '%@%'
            then {{ dbt.concat([
                cx_warehouse.email_local_key(expr), "'@'", dbt.split_part(email, "'@'", 2)
            ]) }}
        else {{ cx_warehouse.email_local_key(expr) }}
    end
{%- endmacro %}


{% macro postal_code_key(expr) -%}
    nullif({{ cx_warehouse.regex_replace_all('upper(' ~ expr ~ ')', '[^0-9A-Z]', '') }}, '')
{%- endmacro %}


{% macro address_match_key(expr) -%}
    nullif(trim({{ cx_warehouse.regex_replace_all(
        cx_warehouse.fold_accents(expr), '[^a-z0-9]+', ' '
    ) }}), '')
{%- endmacro %}


{% macro national_id_key(expr) -%}
    upper(nullif({{ cx_warehouse.regex_replace_all(
        'cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')', '[^0-9A-Za-z]+', ''
    ) }}, ''))
{%- endmacro %}
