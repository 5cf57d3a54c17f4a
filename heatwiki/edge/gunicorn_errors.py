"""gunicorn's own error answers with the site's security headers.

gunicorn answers some requests itself, before Django sees them: a malformed request line or
header (400), an address or headers too long (414, 431), and a 500 when the application fails
outright. Its page for these carries no security headers; ``install`` (called from
gunicorn.conf.py) gives it the same ones as every other answer, with a policy that lets the
page load nothing at all (it needs nothing).
"""

import html

ERROR_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def error_response(status: int, reason: str, message: str) -> bytes:
    """The raw HTTP answer gunicorn sends for an error it answers itself."""
    body = (
        f"<!doctype html>\n<html><head><title>{html.escape(reason)}</title></head>"
        f"<body><h1>{html.escape(reason)}</h1><p>{html.escape(message)}</p></body></html>\n"
    )
    data = body.encode("utf-8")
    head = [f"HTTP/1.1 {status} {reason}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in ERROR_PAGE_HEADERS.items()]
    head += ["Content-Type: text/html; charset=utf-8", f"Content-Length: {len(data)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data


def install() -> None:
    """Replace gunicorn's error writer (its workers look it up on each error)."""
    from gunicorn import util

    def write_error(sock, status_int, reason, mesg):
        util.write_nonblock(sock, error_response(status_int, reason, mesg))

    util.write_error = write_error
