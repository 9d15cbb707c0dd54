{{ select_quarantined_rows('base_support__tickets', 'tickets', record_key='ticket_id') }}
