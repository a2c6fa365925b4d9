"""Capacity planning: SimPy driving the same engine on a simulated clock."""
