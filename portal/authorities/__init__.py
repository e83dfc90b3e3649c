"""Authority process configuration: schema, loading, phase templates (engine and calendar later)."""
