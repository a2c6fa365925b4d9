"""Booking from home: the pages, and the same operations as JSON."""
