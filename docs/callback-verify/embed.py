#!/usr/bin/env python3
"""Copies the callback verification samples in this folder into
web/docs/callbacks.html, HTML-escaped, so the page shows exactly the code
that tests/e2e/test_docs.py compiles and runs.

Run after editing a sample:  python3 docs/callback-verify/embed.py
Each <pre data-source="docs/callback-verify/FILE"><code>...</code></pre> block
of the page is refilled from FILE; nothing else in the page changes."""

import html
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = os.path.join(REPO, "web", "docs", "callbacks.html")
BLOCK = re.compile(r'(<pre data-source="([^"]+)"><code>)(.*?)(</code></pre>)', re.DOTALL)


def sample_text(rel_path):
    """The sample's text as the page shows it: without the final newline."""
    with open(os.path.join(REPO, rel_path), encoding="utf-8") as f:
        return f.read().rstrip("\n")


def main():
    with open(PAGE, encoding="utf-8") as f:
        page = f.read()
    filled = []

    def refill(match):
        filled.append(match.group(2))
        return match.group(1) + html.escape(sample_text(match.group(2)), quote=False) + match.group(4)

    page = BLOCK.sub(refill, page)
    with open(PAGE, "w", encoding="utf-8") as f:
        f.write(page)
    print("embedded: " + ", ".join(filled))
    return 0 if filled else 1


if __name__ == "__main__":
    sys.exit(main())
