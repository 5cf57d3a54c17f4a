from heatwiki.bench.wrk import parse

REPORT = """Running 10s test @ http://127.0.0.1:8000/healthz
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.10ms    2.02ms  31.87ms   80.11%
    Req/Sec     1.32k   120.44     1.60k    70.00%
  Latency Distribution
     50%    5.91ms
     75%    7.02ms
     90%    8.49ms
     99%   12.10ms
  26340 requests in 10.01s, 4.82MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   2633.52
Transfer/sec:    493.11KB
"""


def test_the_report_gives_rate_percentiles_and_errors():
    load = parse(REPORT)

    assert load.requests_per_second == 2633.52
    assert load.p50_ms == 5.91
    assert load.p99_ms == 12.10
    assert load.errors == 7


def test_latencies_in_microseconds_and_seconds_are_in_milliseconds():
    report = REPORT.replace("5.91ms", "850.00us").replace("12.10ms", "1.20s")

    load = parse(report)

    assert load.p50_ms == 0.85
    assert load.p99_ms == 1200.0
