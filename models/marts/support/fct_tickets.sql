{#-
    One row per valid ticket: the ticket core (int_tickets_enriched) with the ticket's NPS band
    (nps_bands seed) and the reporting dates of its first response and full resolution, so that
    metrics can count each in the day, week or month it happened (the semantic layer,
    models/semantic/).
-#}
with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

nps_bands as (
    select * from {{ ref('nps_bands') }}
),

final as (
    select
        tickets.*,
        nps_bands.nps_band,
        {{ reporting_date('tickets.first_response_at') }} as first_response_date,
        {{ reporting_date('tickets.resolved_at') }} as resolved_date
    from tickets
    left outer join nps_bands
        on tickets.nps_score between nps_bands.min_score and nps_bands.max_score
)

select * from final
