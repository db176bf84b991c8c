"""Provider HTTP benchmark: this process's CPU per provider call (`HttpClient.call`, Evolution's
connection state, as a resync reads it) against the Evolution simulator (a separate process), with
the environment read once when the session is built (the gateway's) and, side by side in the same
run, read again on every call (requests' default, `trust_env`).

    .venv/bin/python bench/provider_http.py [--calls 300] [--rounds 3]

The two kinds of session take turns, `--calls` calls a round each, so the machine's load falls on
both alike. The last line is `provider_call_cpu_us=<once> env_per_call_cpu_us=<every call>
saved_pct=<n> environment_variables=<n>` (the per-call lookup walks the whole environment, so its
cost grows with it).
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.providers.evolution.client import EvolutionClient  # noqa: E402
from gateway.simulator.testing import start_simulator  # noqa: E402


def cpu_us_per_call(client: EvolutionClient, calls: int) -> float:
    started = time.process_time()
    for _ in range(calls):
        client.status("bench")
    return (time.process_time() - started) * 1e6 / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with start_simulator() as simulator:
        once = EvolutionClient(simulator.base_url, simulator.api_key, timeout=10.0)
        every_call = EvolutionClient(simulator.base_url, simulator.api_key, timeout=10.0)
        every_call.http.session.trust_env = True  # requests' default: proxies, CA bundle, netrc per call
        once.http.call("POST", "/instance/create", json={"instanceName": "bench", "integration": "WHATSAPP-BAILEYS"})
        figures: dict[str, list[float]] = {"once": [], "every_call": []}
        for _ in range(args.rounds):
            figures["once"].append(cpu_us_per_call(once, args.calls))
            figures["every_call"].append(cpu_us_per_call(every_call, args.calls))
        best = {kind: min(values) for kind, values in figures.items()}
        print("rounds (us per call, once / every call): "
              + " ".join(f"{a:.0f}/{b:.0f}" for a, b in zip(figures["once"], figures["every_call"])))
        saved = (1 - best["once"] / best["every_call"]) * 100
        print(f"provider_call_cpu_us={best['once']:.0f} env_per_call_cpu_us={best['every_call']:.0f} "
              f"saved_pct={saved:.0f} environment_variables={len(os.environ)}")


if __name__ == "__main__":
    main()
