"""Command line: `python -m gateway.simulator.waha --port 8082 --api-key KEY [--waha-version 2024.10.8]`.

`--api-key` is WAHA's WAHA_API_KEY (src/core/auth/config.ts); the other options shorten WAHA's own waits.
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import logging  # noqa: E402

from .app import serve  # noqa: E402
from .versions import VERSIONS  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway.simulator.waha", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8082)
    parser.add_argument("--api-key", required=True, help="WAHA_API_KEY (the X-Api-Key header)")
    parser.add_argument("--waha-version", choices=sorted(VERSIONS), default="2026.2.1")
    parser.add_argument("--time-scale", type=float, default=1.0, help="multiplies WAHA's waits (stop 3 s, QR 5 s)")
    parser.add_argument("--retry-delay-scale", type=float, default=1.0, help="multiplies webhook retry delays")
    parser.add_argument("--qr-delay", type=float, default=0.2, help="seconds from STARTING to SCAN_QR_CODE")
    parser.add_argument("--ping-interval", type=float, default=None, help="seconds between /ws pings")
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper())
    serve(args.host, args.port, api_key=args.api_key, version=args.waha_version, time_scale=args.time_scale,
          retry_delay_scale=args.retry_delay_scale, qr_delay=args.qr_delay, ping_interval=args.ping_interval)


if __name__ == "__main__":
    main()
