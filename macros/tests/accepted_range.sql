{% test accepted_range(model, column_name, min_value=None, max_value=None, inclusive=True) %}
    {%- set operator_suffix = '=' if inclusive else '' -%}
    {%- set bounds = [] -%}
    {%- if min_value is not none -%}
        {%- do bounds.append(column_name ~ ' >' ~ operator_suffix ~ ' ' ~ min_value) -%}
    {%- endif -%}
    {%- if max_value is not none -%}
        {%- do bounds.append(column_name ~ ' <' ~ operator_suffix ~ ' ' ~ max_value) -%}
    {%- endif -%}
    {%- do exceptions.raise_compiler_error(
        "accepted_range on " ~ column_name ~ ": set min_value, max_value or both."
    ) if bounds | length == 0 else none %}

    select *
    from {{ model }}
    where not ({{ bounds | join(' and ') }})

{% endtest %}
