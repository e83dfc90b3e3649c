"""Printing documents as accessible PDF: a Jinja template rendered to HTML, then WeasyPrint.

The PDF is tagged (PDF/UA-1 where WeasyPrint can make it, tagged PDF otherwise), so a screen
reader finds its headings, tables and reading order; its language and title are set from the
HTML. WeasyPrint never fetches anything: every resource is inline, the base URL is the templates
folder on disk, and the URL fetcher refuses anything that is not a ``data:`` URL, so a child's
document can never make a request to another server while it is printed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from portal.services.pep_document import Document

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "documents"
MIMETYPE = "application/pdf"


def offline_fetcher() -> URLFetcher:
    """Only ``data:`` URLs: nothing from the network, nothing from disk (WeasyPrint refuses any
    other scheme before opening anything)."""
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def html_to_pdf(html: str) -> bytes:
    """PDF/UA-1 if WeasyPrint accepts the document as such; otherwise still a tagged PDF."""
    document = HTML(string=html, base_url=str(TEMPLATES), url_fetcher=offline_fetcher())
    try:
        return document.write_pdf(pdf_variant="pdf/ua-1")
    except Exception:  # any failure of the stricter variant falls back to a tagged PDF
        log.warning("PDF/UA-1 output failed; writing a tagged PDF instead", exc_info=True)
        return document.write_pdf(pdf_tags=True)


def render(template: str, **context: Any) -> bytes:
    """A template of ``templates/documents`` printed to PDF (inside an application context)."""
    return html_to_pdf(render_template(f"documents/{template}", **context))


def document_pdf(document: Document) -> bytes:
    """A PEP or a blank form as PDF."""
    return render("pep.html", document=document)
