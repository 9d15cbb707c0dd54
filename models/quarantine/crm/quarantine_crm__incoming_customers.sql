{{ select_quarantined_rows(
    'base_crm__incoming_customers',
    'incoming_customers',
    record_key='incoming_id'
) }}
