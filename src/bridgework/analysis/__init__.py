"""Organizational network analysis in the app: stored runs, leader and analyst views, reports."""
