"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from cchc_learn import create_app

app = create_app()
