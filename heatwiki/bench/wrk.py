"""Running wrk and reading its report."""

import re
import subprocess
from dataclasses import dataclass

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * UNITS[unit]


def parse(report: str) -> Load:
    """wrk's --latency report → requests per second, p50 and p99 in ms, non-2xx/3xx and errors."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", report)[1])
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", report, re.M)[1])
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", report, re.M)[1])
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", report))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return Load(rps, p50, p99, errors)


def run(url: str, *, seconds: int, connections: int, threads: int = 2, cookie: str = "") -> Load:
    """Load ``url`` for ``seconds``; ``cookie`` ("sessionid=…") makes every request signed in."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        *(["-H", f"Cookie: {cookie}"] if cookie else []),
        url,
    ]
    report = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return parse(report)
