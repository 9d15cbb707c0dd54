{{ select_quarantined_rows('base_email__emails', 'emails', record_key='email_id') }}
