"""The edge of the site: what a request may bring before any app sees it (``inputs``), the
middleware that refuses the rest and puts the security headers on every answer
(``middleware``), and gunicorn's own error answers (``gunicorn_errors``). The lowest layer:
it imports no app of HeatWiki's."""
