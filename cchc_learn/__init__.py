"""CCHC Learn."""
