from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark tooling: ``manage.py bench``, ``bench_scale`` and ``synthesize_wiki``.

    Installed only with DEBUG or HEATWIKI_BENCH=on (see settings.py), and left out of the
    built wheel, so a production deployment has none of these commands.
    """

    name = "heatwiki.bench"
    label = "bench"
    verbose_name = "Benchmark"
