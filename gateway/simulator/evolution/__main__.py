"""Command line: `python -m gateway.simulator.evolution --port 8081 --api-key KEY [options]`.

The options are Evolution's environment variables of the same meaning (src/config/env.config.ts).
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import logging  # noqa: E402

from .app import serve  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway.simulator.evolution", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--api-key", required=True, help="the global AUTHENTICATION_API_KEY")
    parser.add_argument("--global-events", action="store_true", help="WEBSOCKET_GLOBAL_EVENTS: root namespace")
    parser.add_argument("--retry-base-delay", type=float, default=5.0, help="webhook retry base, seconds")
    parser.add_argument("--connect-delay", type=float, default=0.0, help="seconds before /instance/connect answers")
    parser.add_argument("--webhook-timeout", type=float, default=30.0, help="webhook request timeout, seconds")
    parser.add_argument("--qr-limit", type=int, default=30, help="QRCODE_LIMIT")
    parser.add_argument("--server-url", default=None, help="SERVER_URL in envelopes (default http://host:port)")
    parser.add_argument("--trusted-hosts", default="", help="comma list of addresses skipping socket auth")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper())
    serve(args.host, args.port, api_key=args.api_key, global_events=args.global_events,
          retry_base_delay=args.retry_base_delay, connect_delay=args.connect_delay,
          webhook_timeout=args.webhook_timeout, qr_limit=args.qr_limit,
          server_url=args.server_url or f"http://{args.host}:{args.port}",
          trusted_hosts=tuple(h for h in args.trusted_hosts.split(",") if h))


if __name__ == "__main__":
    main()
