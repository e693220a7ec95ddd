"""metadata-service's by-path lookup for the benchmark: one public JPEG, answered as the contract says."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, blob_key, size = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
FILE = json.dumps({"id": "bench", "bucket": "bench", "name": "photo.jpg", "versionId": "v1", "blobKey": blob_key,
                   "size": size, "contentType": "image/jpeg", "etag": "\"bench\"", "visibility": "public"}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        found = self.path == "/internal/objects/by-path/bench/photo.jpg"
        body = FILE if found else b'{"statusCode":404,"error":"ObjectNotFound","message":"not found"}'
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
