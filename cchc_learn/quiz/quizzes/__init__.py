"""Quiz definitions in the database (what to draw, the rules of an attempt) and their pages."""
