"""Mobile page weight: what a phone downloads for a page, gzip-compressed as the server sends it.

    .venv/bin/python -m benchmarks.weight / [url ...]

Fetches each page through Django's test Client, then every stylesheet, script, icon and image the
HTML links to on the portal itself, and adds up raw and gzip'd bytes. DESIGN §5: a citizen page
without map or photos stays under 100 KB over the wire; exits 1 when a page is over --budget.
"""

import argparse
import gzip
import sys
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from benchmarks.django_setup import setup

BUDGET_KB = 100


class _Assets(HTMLParser):
    """The same-site resources a browser fetches to render the page."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and ({"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(rel)):
            self.found.append(("css" if "stylesheet" in rel else "other", attrs.get("href")))
        elif tag == "script" and attrs.get("src"):
            self.found.append(("js", attrs["src"]))
        elif tag == "img" and attrs.get("src"):
            self.found.append(("image", attrs["src"]))


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def measure(client, url):
    """{"items": [(kind, url, raw bytes, gzip bytes)], "raw": total, "gzip": total} for one page."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    html = _body(response)
    items = [("html", url, len(html), len(gzip.compress(html, 6)))]
    parser = _Assets()
    parser.feed(html.decode(response.charset or "utf-8"))
    seen = set()
    for kind, href in parser.found:
        if not href:
            continue
        target = urljoin(url, href)
        parts = urlsplit(target)
        if parts.scheme in ("data",) or parts.netloc not in ("", "testserver") or target in seen:
            continue  # inline data, or another site (which the CSP forbids anyway)
        seen.add(target)
        asset = client.get(parts.path)
        if asset.status_code != 200:
            raise RuntimeError(f"{parts.path} (linked from {url}) answered {asset.status_code}")
        body = _body(asset)
        items.append((kind, parts.path, len(body), len(gzip.compress(body, 6))))
    return {"items": items, "raw": sum(i[2] for i in items), "gzip": sum(i[3] for i in items)}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.weight", description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="*", default=["/"], help="pages to weigh (default: /)")
    parser.add_argument("--budget", type=float, default=BUDGET_KB, help="KB over the wire (default 100)")
    args = parser.parse_args(argv)

    setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    over = False
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        client = Client()
        for url in args.urls:
            result = measure(client, url)
            print(f"{url}")
            for kind, path, raw, packed in result["items"]:
                print(f"  {kind:<6} {path:<40} {raw:>8} B raw {packed:>8} B gzip")
            total_kb = result["gzip"] / 1024
            verdict = "within" if total_kb <= args.budget else "OVER"
            print(f"  {'total':<47} {result['raw']:>8} B raw {result['gzip']:>8} B gzip")
            print(f"  {total_kb:.1f} KB over the wire: {verdict} the {args.budget:g} KB budget")
            over = over or total_kb > args.budget
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
