"""Benchmark PEP documents: how long a long PEP (at least 20 pages of PDF) takes to download as PDF
and as Word, through the application in-process, in a fresh database (SQLite, or a new database on
the PostgreSQL server named by --postgres-url).

The PEP is Lancashire's secondary template with every question answered, free text as long as the
form allows and several rows in every repeating group (tests/filled_peps.py builds it).

Goal: the PDF of a 20-page PEP in under 2 seconds (median of several downloads). Exits non-zero if
it takes longer, or if the PEP does not reach 20 pages (then the figure would prove nothing).
`make bench` (scripts/bench.sh) runs it.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time

from bench_support import benchmark_app, fresh_database_url

GOAL_SECONDS = 2.0
MIN_PAGES = 20


def median_seconds(call, repeats: int) -> float:
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def run(database_url: str, rows: int, repeats: int) -> bool:
    import pypdf
    from sqlalchemy import select

    from portal.authorities.vocabulary import Role
    from portal.extensions import db
    from portal.models import Authority
    from tests.factories import sign_in
    from tests.filled_peps import fill_pep

    with benchmark_app(database_url) as app:
        lancashire = db.session.scalar(select(Authority).where(Authority.slug == "lancashire"))
        started = time.perf_counter()
        filled = fill_pep(lancashire, rows=rows, long=True)
        took = time.perf_counter() - started
        print(f"  data: a filled PEP with {rows} rows in each repeating group in {took:.1f} s")
        base = f"/a/lancashire/peps/{filled.pep.id}"
        email = filled.people[Role.SOCIAL_WORKER].email
    client = app.test_client()
    sign_in(client, email)

    pdf = client.get(f"{base}/pep.pdf")
    word = client.get(f"{base}/pep.docx")
    summary = client.get(f"{base}/my-targets.pdf")
    if not (pdf.status_code == word.status_code == summary.status_code == 200):
        raise SystemExit(f"download failed: {pdf.status_code} {word.status_code} {summary.status_code}")
    pages = len(pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    pdf_s = median_seconds(lambda: client.get(f"{base}/pep.pdf"), repeats)
    docx_s = median_seconds(lambda: client.get(f"{base}/pep.docx"), repeats)
    summary_s = median_seconds(lambda: client.get(f"{base}/my-targets.pdf"), repeats)
    summary_pages = len(pypdf.PdfReader(io.BytesIO(summary.data)).pages)
    print(f"  PEP as PDF:        {pages:3d} pages, {len(pdf.data) / 1024:6.0f} KiB, median {pdf_s:.2f} s")
    print(f"  PEP as Word:                {len(word.data) / 1024:6.0f} KiB, median {docx_s:.2f} s")
    summary_kib = len(summary.data) / 1024
    print(f"  My targets (PDF):  {summary_pages:3d} pages, {summary_kib:6.0f} KiB, median {summary_s:.2f} s")
    ok = pages >= MIN_PAGES and pdf_s < GOAL_SECONDS
    if pages < MIN_PAGES:
        print(f"  the PEP printed on {pages} pages, fewer than {MIN_PAGES}: add rows (--rows)")
    print(f"  goal: a {MIN_PAGES}-page PDF in under {GOAL_SECONDS:.0f} s: {'met' if ok else 'NOT met'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres-url", help="PostgreSQL server URL (default: a SQLite file)")
    parser.add_argument("--rows", type=int, default=3, help="rows in each repeating group")
    parser.add_argument("--repeats", type=int, default=5, help="downloads timed for each median")
    args = parser.parse_args()
    print(f"PEP documents benchmark on {'PostgreSQL' if args.postgres_url else 'SQLite'}")
    with fresh_database_url(args.postgres_url, "documents") as url:
        ok = run(url, args.rows, args.repeats)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
