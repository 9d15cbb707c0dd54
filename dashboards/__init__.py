"""CX Warehouse dashboards: a Streamlit app over the read-only serving file (make dashboards)."""
