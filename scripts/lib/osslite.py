"""A tiny OSS V1-signing HTTP client on the standard library, for scripts (benchmarks, reliability
runs) that must not depend on the code under test. Keep-alive connections, one per thread."""
import base64, email.utils, hashlib, hmac, http.client, json, threading, urllib.parse


class OSSLite:
    def __init__(self, endpoint, bucket, key_id, secret):
        u = urllib.parse.urlparse(endpoint)
        self.host, self.port = u.hostname, u.port or 80
        self.bucket, self.key_id, self.secret = bucket, key_id, secret
        self._local = threading.local()

    def _conn(self):
        c = getattr(self._local, "conn", None)
        if c is None:
            c = self._local.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        return c

    def _sign(self, verb, resource, headers):
        oss = "".join(f"{k}:{v}\n" for k, v in sorted((k.lower(), v.strip()) for k, v in headers.items()
                                                      if k.lower().startswith("x-oss-")))
        sts = "\n".join([verb, headers.get("Content-MD5", ""), headers.get("Content-Type", ""),
                         headers["Date"], oss + resource])
        sig = base64.b64encode(hmac.new(self.secret.encode(), sts.encode(), hashlib.sha1).digest()).decode()
        return f"OSS {self.key_id}:{sig}"

    def request(self, verb, key="", sub="", body=b"", headers=None):
        headers = dict(headers or {})
        headers["Date"] = email.utils.formatdate(usegmt=True)
        if body and "Content-Type" not in headers:
            headers["Content-Type"] = "application/octet-stream"
        headers["Authorization"] = self._sign(verb, f"/{self.bucket}/{key}" + (f"?{sub}" if sub else ""), headers)
        path = f"/{self.bucket}/{urllib.parse.quote(key)}" + (f"?{sub}" if sub else "")
        for attempt in range(3):
            try:
                c = self._conn()
                c.request(verb, path, body=body, headers=headers)
                r = c.getresponse()
                data = r.read()
                return r.status, data
            except (ConnectionError, http.client.HTTPException):
                self._local.conn = None
                if attempt == 2:
                    raise

    def put(self, key, body):
        s, d = self.request("PUT", key, body=body)
        assert s == 200, (s, d)

    def symlink(self, key, target):
        s, d = self.request("PUT", key, "symlink", headers={"x-oss-symlink-target": urllib.parse.quote(target)})
        assert s == 200, (s, d)

    def stats(self):
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        c.request("GET", "/_ossfuse/stats")
        return json.loads(c.getresponse().read())

    def reset_stats(self):
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        c.request("POST", "/_ossfuse/stats/reset")
        c.getresponse().read()
