#!/usr/bin/env python3
"""Checks a RaportAI callback signature (Python 3.8+, standard library only).

Run:   python3 verify.py HMAC_SECRET TIMESTAMP SIGNATURE BODY_FILE
Exits 0 when the signature is valid and the timestamp is fresh, 1 otherwise.

The signature is the lowercase hex HMAC-SHA256, keyed with the job's
hmacSecret (its characters as they are, not hex-decoded), of
timestamp + "." + the raw body bytes."""

import hashlib
import hmac
import sys
from datetime import datetime, timezone

MAX_AGE_S = 300  # reject timestamps more than 5 minutes off


def parse_timestamp(ts):
    """"2026-11-28T21:05:18.123Z" as an aware datetime, or None."""
    if not ts.endswith("Z"):
        return None
    try:
        when = datetime.fromisoformat(ts[:-1] + "+00:00")
    except ValueError:
        return None
    return when if when.utcoffset() is not None else None


def callback_is_valid(secret, timestamp, body, signature, now=None):
    """True when signature is the HMAC of timestamp "." body (bytes) under
    secret and the timestamp is within MAX_AGE_S of now."""
    sent = parse_timestamp(timestamp)
    now = now or datetime.now(timezone.utc)
    if sent is None or abs((now - sent).total_seconds()) > MAX_AGE_S:
        return False
    message = timestamp.encode("utf-8") + b"." + body
    expected = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    # Constant-time comparison.
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8"))


def main(argv):
    if len(argv) != 5:
        print("usage: verify.py HMAC_SECRET TIMESTAMP SIGNATURE BODY_FILE",
              file=sys.stderr)
        return 1
    secret, timestamp, signature, body_file = argv[1:]
    try:
        with open(body_file, "rb") as f:
            body = f.read()
    except OSError as e:
        print("cannot read %s: %s" % (body_file, e), file=sys.stderr)
        return 1
    ok = callback_is_valid(secret, timestamp, body, signature)
    print("valid" if ok else "invalid")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
