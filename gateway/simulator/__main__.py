"""Command line: `python -m gateway.simulator [--provider evolution|waha] OPTIONS`, Evolution by default.

The other options are the chosen simulator's own: `python -m gateway.simulator --provider waha -h`.
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import importlib  # noqa: E402

PROVIDERS = ("evolution", "waha")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway.simulator", add_help=False)
    parser.add_argument("--provider", choices=PROVIDERS, default="evolution")
    args, rest = parser.parse_known_args(argv)
    importlib.import_module(f"{__package__}.{args.provider}.__main__").main(rest)


if __name__ == "__main__":
    main()
