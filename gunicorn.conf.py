"""gunicorn settings for serving HeatWiki: `gunicorn -c gunicorn.conf.py heatwiki.wsgi`.

Every value can be overridden from the environment, so one file serves every app server.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: a page view is a few short queries, and the app keeps no state of its
# own, so capacity grows with workers per machine and with machines behind a load balancer.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# Load the app once, before forking: faster start, shared memory. Database connections are
# opened per worker, after the fork, by Django itself.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Restart workers now and then, so that a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Behind a TLS-terminating proxy on the same host or network (see docs/deploy.md).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# The answers gunicorn makes itself (a malformed request, a failed application) carry the same
# security headers as the site's own.
from heatwiki.edge.gunicorn_errors import install as _secure_error_pages  # noqa: E402

_secure_error_pages()
