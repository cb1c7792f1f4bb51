#!/usr/bin/env python3
"""A local webhook sink for the demo: verifies schemadrift's HMAC signature
(see the README's "Verifying a webhook signature") and prints each alert."""
import hashlib
import hmac
import http.server
import json
import os
import sys
import time

SECRET = os.environ["SCHEMADRIFT_WEBHOOK_SECRET"].encode()
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8099


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        ts = self.headers.get("X-Schemadrift-Timestamp", "")
        sig = self.headers.get("X-Schemadrift-Signature", "")
        mac = hmac.new(SECRET, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
        fresh = ts.isdigit() and abs(time.time() - int(ts)) < 300
        if not (fresh and hmac.compare_digest(sig, "sha256=" + mac)):
            print("rejected: bad signature", flush=True)
            self.send_response(401)
            self.end_headers()
            return
        a = json.loads(body)
        line = f"ALERT {a['event']} on {a['target']} (signature verified)"
        if a.get("report"):
            s = a["report"]["summary"]
            line += f": {s['errors']} errors, {s['warnings']} warnings, {s['infos']} info"
            for c in a["report"]["changes"][:5]:
                line += f"\n    {c['severity']:<8}{c['code']:<24}{c['object']}"
        if a.get("error"):
            line += f": {a['error']}"
        print(line, flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", PORT), Hook).serve_forever()
