"""The benchmark's own arithmetic and parsing: no timings are asserted anywhere."""

import pytest

from heatwiki.bench import wrk
from heatwiki.bench.management.commands.bench_scale import compare
from heatwiki.bench.targets import history_pages, parse_targets, percentile


def test_targets_come_from_the_bench_line_among_other_output():
    output = (
        "24 objects imported automatically (use -v 2 for details).\n"
        'BENCH {"cookie": "sessionid=abc", "busiest_user": "rosa"}\n'
    )

    targets = parse_targets(output)

    assert targets == {"cookie": "sessionid=abc", "busiest_user": "rosa"}


def test_output_without_a_bench_line_is_an_error():
    with pytest.raises(ValueError, match="no BENCH line"):
        parse_targets("Traceback …\n")


@pytest.mark.parametrize(("revisions", "pages"), [(0, 1), (1, 1), (50, 1), (51, 2), (20_548, 411)])
def test_history_pages(revisions, pages):
    assert history_pages(revisions, 50) == pages


def test_percentiles_are_nearest_rank():
    samples = [float(n) for n in range(100, 0, -1)]  # 100 … 1, unsorted on purpose

    assert percentile(samples, 0.50) == 50.0
    assert percentile(samples, 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_wrk_sends_the_session_cookie_when_signed_in(monkeypatch):
    commands = []

    def fake_run(command, **kwargs):
        commands.append(command)
        return type("Done", (), {"stdout": REPORT})()

    monkeypatch.setattr(wrk.subprocess, "run", fake_run)

    wrk.run("http://x/", seconds=1, connections=2)
    wrk.run("http://x/", seconds=1, connections=2, cookie="sessionid=abc")

    assert "-H" not in commands[0]
    assert commands[1][-3:] == ["-H", "Cookie: sessionid=abc", "http://x/"]


REPORT = """  Latency Distribution
     50%    5.91ms
     99%   12.10ms
Requests/sec:   2633.52
"""


def run(rates: dict[str, tuple[float, float]], p95: float, floor: float = 1000) -> dict:
    """A phase's results: each page's rates, and their ratios to the phase's floor."""

    def load(rate: float) -> dict:
        return {"requests_per_second": rate, "ratio_to_floor": round(rate / floor, 3)}

    pages = [
        {"name": name, "anonymous": load(anonymous), "signed_in": load(signed_in)}
        for name, (anonymous, signed_in) in rates.items()
    ]
    return {"pages": pages, "search_latency": {"p95_ms": p95}}


def test_the_scale_bars_compare_signed_in_rates_and_search_p95():
    baseline = run({"scene": (1000, 300), "recent changes": (800, 200)}, p95=10)

    held = compare(baseline, run({"scene": (400, 201), "recent changes": (800, 200)}, p95=49))
    slower = compare(baseline, run({"scene": (1000, 199), "recent changes": (800, 200)}, p95=10))
    slow_search = compare(baseline, run({"scene": (1000, 300), "recent changes": (800, 200)}, 50))

    assert held["passes"]
    assert held["pages"][0]["signed_in"] == {
        "baseline": 0.3,
        "scale": 0.201,
        "ratio": 0.67,
        "baseline_rate": 300,
        "scale_rate": 201,
    }
    assert not slower["passes"] and not slower["pages"][0]["passes"]
    assert slower["pages"][1]["passes"]
    assert not slow_search["passes"] and not slow_search["search_passes"]


def test_the_scale_bars_compare_each_phase_with_its_own_floor():
    baseline = run({"scene": (1000, 300)}, p95=10, floor=2000)
    # The whole machine at half speed: every rate halved, the floor too. Not a slowdown.
    busier = compare(baseline, run({"scene": (500, 150)}, p95=10, floor=1000))
    # The floor as before, the page at half its rate: a slowdown.
    slower = compare(baseline, run({"scene": (1000, 150)}, p95=10, floor=2000))
    assert busier["passes"] and busier["pages"][0]["signed_in"]["ratio"] == 1.0
    assert not slower["passes"] and slower["pages"][0]["signed_in"]["ratio"] == 0.5
