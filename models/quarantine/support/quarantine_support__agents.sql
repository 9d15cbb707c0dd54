{{ select_quarantined_rows('base_support__agents', 'agents', record_key='agent_id') }}
