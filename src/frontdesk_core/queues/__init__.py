"""Tickets, queues, counters, call-next policies and wait estimates."""
