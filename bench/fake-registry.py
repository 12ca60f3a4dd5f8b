#!/usr/bin/env python3
"""The registry as the wallet's hot paths see it (bench/hot-paths.sh): a service token, and "yes" to every eligibility
and holder-name question. Not a registry: it lets the wallet be measured alone. usage: fake-registry.py PORT"""
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/oauth2/token":
            body = {"access_token": "bench", "token_type": "Bearer", "expires_in": 3600}
        elif self.path == "/api/exchange/eligibility":
            body = {"answer": True}
        elif self.path == "/api/exchange/holder-name":
            body = {"matches": True}
        elif self.path == "/api/card-standings/lookup":
            body = {"standing": "active"}
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
