{{ select_quarantined_rows(
    'base_support__ticket_interactions', 'ticket_interactions', record_key='interaction_id'
) }}
