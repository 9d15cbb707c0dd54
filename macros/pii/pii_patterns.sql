{#-
    The one definition of what PII looks like in free text, shared by redact_pii_text (which
    replaces it) and the no_pii_patterns test (which asserts none is left).

    Regular expressions in the subset common to RE2 (DuckDB) and Java (Spark): character classes
    instead of escapes where possible, \b for word boundaries (so '1Z999AA10123456784' and
    'ORD-1234567' are not cut into numbers), \p{L} for letters of any script.
    Backslashes are doubled because these are Jinja string literals ('\\b' is \b).

    phone_plus: '+' country code and number, with spaces, dots, dashes, an (area code).
    card: 13-19 digits in groups of four (4111 1111-1111 1111), Amex 4-6-5, or one run.
    phone: '00' + country code + separator (0044 20 7946 0958, but not 000123456);
    national (11) 91234-5678, (412) 555-0199, 412-555-0199, 412.555.0199;
    or a run of 10-13 digits.
-#}
{% macro pii_pattern_regexes() -%}
    {#- After the country code: an optional (area code), then 6-12 more digits. -#}
    {%- set subscriber = '(?:[(][0-9]{1,4}[)][ .-]?)?[0-9](?:[ .-]?[0-9]){5,11}\\b' -%}
    {%- set phone_alternatives = [
        '\\b00[1-9][0-9]{0,2}[ .-]' ~ subscriber,
        '(?:[(][0-9]{2,3}[)][ .-]?|\\b[0-9]{2,3}[ .-])[0-9]{3,5}[ .-][0-9]{4}\\b',
        '\\b[0-9]{10,13}\\b',
    ] -%}
    {%- set card_alternatives = [
        '\\b[0-9]{4}(?:[ -][0-9]{4}){2}[ -][0-9]{1,4}(?:[ -]?[0-9]{1,3})?\\b',
        '\\b[0-9]{4}[ -][0-9]{6}[ -][0-9]{5}\\b',
        '\\b[0-9]{13,19}\\b',
    ] -%}
    {{- return({
        'email': '[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:[.][\\p{L}\\p{N}-]+)*[.]\\p{L}{2,}',
        'cnpj': '\\b[0-9]{2}[.][0-9]{3}[.][0-9]{3}/[0-9]{4}-[0-9]{2}\\b|\\b[0-9]{14}\\b',
        'cpf': '\\b[0-9]{3}[.][0-9]{3}[.][0-9]{3}-[0-9]{2}\\b|\\b[0-9]{11}\\b',
        'phone_plus': '[+][0-9]{1,3}[ .-]?' ~ subscriber,
        'card': card_alternatives | join('|'),
        'phone': phone_alternatives | join('|'),
    }) -}}
{%- endmacro %}


{#-
    The order redact_pii_text applies the patterns in, with each one's replacement token.
    Each step only sees what the earlier ones left, so the order settles overlaps:
    - emails first (they contain digits);
    - CNPJ (14 digits) and CPF (11 digits) before cards and phones (13-19 and 10-13 digits);
    - '+' phones before cards, so '+5511912345678' is a phone, not '+' and a card;
    - cards before other phones, so the '00' in '5500 0012 3456 7890' starts no phone.
    A bare 13-digit run is therefore redacted as [CARD], a bare 14-digit run as [CNPJ]:
    redacted either way.
-#}
{% macro pii_redaction_order() -%}
    {{- return([
        ('email', '[EMAIL]'),
        ('cnpj', '[CNPJ]'),
        ('cpf', '[CPF]'),
        ('phone_plus', '[PHONE]'),
        ('card', '[CARD]'),
        ('phone', '[PHONE]'),
    ]) -}}
{%- endmacro %}


{#- Boolean: does `expr` contain anything that looks like PII (any of pii_pattern_regexes)? -#}
{% macro contains_pii(expr) -%}
    {%- set patterns = cx_warehouse.pii_pattern_regexes().values() | list -%}
    {{ cx_warehouse.regex_matches(
        'cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')', '(?:' ~ patterns | join(')|(?:') ~ ')'
    ) }}
{%- endmacro %}


{#-
    Free text with emails, CNPJs, CPFs, phone numbers and card numbers replaced by [EMAIL],
    [CNPJ], [CPF], [PHONE] and [CARD]. Order, tracking and amount numbers, dates and times are
    kept. Null stays null.
-#}
{% macro redact_pii_text(expr) -%}
    {{- return(adapter.dispatch('redact_pii_text', 'cx_warehouse')(expr)) -}}
{%- endmacro %}

{#-
    One regex_replace_all per pattern, innermost first. regex_replace_all is itself dispatched:
    regexp_replace(..., 'g') on DuckDB, regexp_replace (global by default) on Spark.
-#}
{% macro default__redact_pii_text(expr) -%}
    {%- set patterns = cx_warehouse.pii_pattern_regexes() -%}
    {%- set ns = namespace(sql='cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ ')') -%}
    {%- for name, token in cx_warehouse.pii_redaction_order() -%}
        {%- set ns.sql = cx_warehouse.regex_replace_all(ns.sql, patterns[name], token) -%}
    {%- endfor -%}
    {{ ns.sql }}
{%- endmacro %}
