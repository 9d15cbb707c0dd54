{#-
    Matching keys for identity resolution (models/restricted/matching). They read raw contact
    details, so only models in the restricted schema call them.
-#}

{#-
    Lower case with the accents of Portuguese, Spanish and French letters removed
    ('João Ção' -> 'joao cao'), by translate(), which DuckDB and Spark share.
-#}
{% macro fold_accents(expr) -%}
    translate(
        lower({{ expr }}),
        'áàâãäåéèêëíìîïóòôõöúùûüçñý',
        'aaaaaaeeeeiiiiooooouuuucny'
    )
{%- endmacro %}


{#-
    A person's name as a matching key: accents folded, lower case, every run of characters
    that are not letters a-z (spaces, hyphens, apostrophes, dots) becomes one space, trimmed
    ("  Ana-Júlia  D'Ávila " -> 'ana julia d avila'). Null when nothing is left.
-#}
{% macro normalize_person_name(expr) -%}
    nullif(trim({{ cx_warehouse.regex_replace_all(
        cx_warehouse.fold_accents(expr), '[^a-z]+', ' '
    ) }}), '')
{%- endmacro %}


{#-
    The local part of an email address as a matching key: trimmed, lower case, a '+tag'
    removed and dots removed ('Maria.Silva+crm@x.com' -> 'mariasilva'), as mail providers
    that ignore dots and sub-addresses deliver both to one mailbox. Null when empty.
-#}
{% macro email_local_key(expr) -%}
    nullif({{ cx_warehouse.regex_replace_all(
        cx_warehouse.regex_replace_all(
            dbt.split_part(cx_warehouse.normalize_email(expr), "'@'", 1), '[+].*$', ''
        ),
        '[.]', ''
    ) }}, '')
{%- endmacro %}


{#-
    The whole address as a matching key: email_local_key, '@', the lower-cased domain
    ('Maria.Silva+crm@Example.COM' -> 'mariasilva@example.com'); just the local key when the
    value has no '@'. Null when the value is null or blank.
-#}
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


{#- A postal code as a matching key: upper case, only letters and digits ('01310-100' ->
    '01310100', 'sw1a 1aa' -> 'SW1A1AA'). Null when nothing is left. -#}
{% macro postal_code_key(expr) -%}
    nullif({{ cx_warehouse.regex_replace_all('upper(' ~ expr ~ ')', '[^0-9A-Z]', '') }}, '')
{%- endmacro %}
