"""Running as several processes: who holds each upstream socket, who runs the periodic jobs, who is alive."""
