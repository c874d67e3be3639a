"""gunicorn settings for one newsportal app server (deploy/README.md).

    gunicorn -c /etc/newsportal/gunicorn.conf.py 'newsportal:create_app()'

The systemd unit (newsportal@.service) runs one instance per port and sets GUNICORN_BIND and
GUNICORN_CONTROL_SOCKET from the instance name; the app's own settings stay NEWSPORTAL_*.
"""

import multiprocessing
import os

from newsportal.metrics import child_exit, on_starting  # noqa: F401 (gunicorn server hooks)

# Behind nginx only: nginx connects to this address; readers never do.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: requests are short (pages come from the cache) and a slow client is nginx's
# problem, since it buffers whole requests and responses. Two per core plus one keeps a core busy
# while another worker waits for PostgreSQL or Redis.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A request that takes longer than this is stuck (the slowest real one, a 15 MB PDF upload
# checked by pypdf, takes a few seconds): the worker is killed and replaced.
timeout = 60
graceful_timeout = 30  # a restart lets requests in progress finish first
keepalive = 5  # nginx keeps connections to the upstream open (keepalive in the site config)
# Recycle workers now and then, so a slow leak in a library never grows without bound.
max_requests = 5000
max_requests_jitter = 500

# Logs go to stdout/stderr, which systemd sends to the journal. The request id is the one nginx
# made (X-Request-ID $request_id): the same id is in nginx's access log and in the response's
# X-Request-ID header a reader can quote. %(M)s is the time taken in milliseconds.
accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = (
    'request_id=%({x-request-id}i)s remote=%(h)s method=%(m)s path="%(U)s" query="%(q)s" '
    'status=%(s)s bytes=%(B)s ms=%(M)s referer="%(f)s" agent="%(a)s"'
)

# One control socket per instance (gunicorn 25.1+: `gunicornc -s PATH status`, worker counts,
# graceful reload): the default, ~/.gunicorn/gunicorn.ctl, would be shared by every instance
# on the machine. /run/newsportal is the unit's RuntimeDirectory.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "/run/newsportal/gunicorn.ctl")
control_socket_mode = 0o600

# Prometheus with several workers (PROMETHEUS_MULTIPROC_DIR, set by the unit): the master empties
# the folder before a run, and each dead worker's live gauges are dropped (gunicorn server hooks).
