{% macro human_review_reasons(intent, intent_confidence, sentiment_confidence) -%}
    {%- set threshold = var('review_confidence_threshold') -%}
    concat_ws(
        ', ',
        case when {{ intent }} is null then 'no_intent' end,
        case
            when coalesce({{ intent_confidence }}, 0) < {{ threshold }}
                then 'low_intent_confidence'
        end,
        case
            when coalesce({{ sentiment_confidence }}, 0) < {{ threshold }}
                then 'low_sentiment_confidence'
        end
    )
{%- endmacro %}

{% macro needs_human_review(intent, intent_confidence, sentiment_confidence) -%}
    ({{ cx_warehouse.human_review_reasons(intent, intent_confidence, sentiment_confidence) }} != '')
{%- endmacro %}
