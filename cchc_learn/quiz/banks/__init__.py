"""Question banks in the database: items with stable keys and versions, their rendering,
importing a bank file (upload, preview, confirm), editing one item, and the bank pages."""
