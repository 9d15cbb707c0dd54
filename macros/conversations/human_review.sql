{#-
    The human-review decision of the conversation models, written once. A chat conversation or
    an email needs a person when its automatic labels are not trusted: no intent was found, or
    the intent or the sentiment confidence is below var('review_confidence_threshold').
    Null rule: a missing confidence counts as below the threshold (a person must check), so the
    decision is never null.
    - human_review_reasons: the reasons, comma-separated ('' when there is none):
      no_intent, low_intent_confidence, low_sentiment_confidence.
    - needs_human_review: true when there is at least one reason.
-#}

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
