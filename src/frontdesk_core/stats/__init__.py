"""Figures from the event log."""
