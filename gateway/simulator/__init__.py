"""A faithful in-memory stand-in for Evolution API 2.3.6: REST, socket.io and webhook delivery."""
from .app import build_simulator, serve

__all__ = ["build_simulator", "serve"]
