"""Serving the dashboards with Voilà."""
