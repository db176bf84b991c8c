"""How each instance's events reach the gateway: the manager that switches it, and the socket clients."""
