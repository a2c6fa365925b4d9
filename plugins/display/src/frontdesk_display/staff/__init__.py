"""What staff use: the employee's counter dashboard and the manager's dashboard."""
