{% macro pii_salt() -%}
    {%- set salt = env_var('CX_PII_SALT', '') -%}
    {%- if salt | length > 0 -%}
        {{- return(salt) -}}
    {%- elif target.name in var('development_targets') -%}
        {{- return(var('dev_pii_salt')) -}}
    {%- else -%}
        {{- exceptions.raise_compiler_error(
            "CX_PII_SALT is not set. Target '" ~ target.name ~ "' is not a development target "
            ~ "(" ~ var('development_targets') | join(', ') ~ "), so it needs a secret salt: export CX_PII_SALT=<secret> and run again."
        ) -}}
    {%- endif -%}
{%- endmacro %}


{% macro warn_if_development_salt() -%}
    {%- if execute and env_var('CX_PII_SALT', '') | length == 0 -%}
        {%- set salt = pii_salt() -%}
        {{- log("WARNING: CX_PII_SALT is not set; target '" ~ target.name
            ~ "' hashes PII with the public development salt. Set CX_PII_SALT for real data.",
            info=true) -}}
    {%- endif -%}
    select 1
{%- endmacro %}
