"""Error pages in the service's own layout, with what the person can do next."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

PAGES = {
    400: ("Sorry, there is a problem with the request", "Go back, refresh the page and try again."),
    403: (
        "You do not have access to this page",
        "If you think you should, ask your authority's administrator to give you the role.",
    ),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    413: ("The file is too big", "The file must be smaller than 10 MB. Go back and choose a smaller file."),
    405: ("Sorry, there is a problem with the request", "Go back and try again."),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. Anything you saved before this message has been kept.",
    ),
}


def register_error_pages(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)


def render_error(status: int, title: str, advice: str) -> ResponseReturnValue:
    if request.headers.get("HX-Request"):
        return render_template("errors/_message.html", title=title, advice=advice), status
    return render_template("errors/error.html", title=title, advice=advice), status


def csrf_error(error: CSRFError) -> ResponseReturnValue:
    return render_error(
        400,
        "Your form could not be sent",
        "The page was open too long or was opened in another tab. "
        "Go back, refresh the page and try again: nothing was changed.",
    )


def http_error(error: HTTPException) -> ResponseReturnValue:
    status = error.code or 500
    title, advice = PAGES.get(status, (error.name, error.description or ""))
    return render_error(status, title, advice)
