#!/usr/bin/env python3
"""Apply Cypher files statement by statement over ArcadeDB's HTTP API (the
demo has no cypher-shell). Usage: cypher-apply.py HTTP_URL DATABASE FILE...
with the password in $ARCADEDB_PASSWORD (user root). The demo's files keep
';' out of strings and comments, so a plain split is enough here."""
import base64
import json
import os
import re
import sys
import urllib.request

base, db, files = sys.argv[1], sys.argv[2], sys.argv[3:]
auth = base64.b64encode(b"root:" + os.environ["ARCADEDB_PASSWORD"].encode()).decode()
for path in files:
    text = re.sub(r"//[^\n]*", "", open(path).read())
    for stmt in (s.strip() for s in text.split(";")):
        if not stmt:
            continue
        req = urllib.request.Request(
            f"{base}/api/v1/command/{db}",
            data=json.dumps({"language": "cypher", "command": stmt}).encode(),
            headers={"Authorization": "Basic " + auth, "Content-Type": "application/json"},
        )
        try:
            urllib.request.urlopen(req, timeout=30).read()
        except urllib.error.HTTPError as e:
            sys.exit(f"{path}: {stmt}\n{e.read().decode()}")
