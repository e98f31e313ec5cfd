"""Raw HTTP/1.1 exchanges over a socket, for requests http.client refuses to send (garbage request
lines, NUL bytes, huge headers, bodies shorter than Content-Length), and the decoding of an OSS
error answer: the XML `<Code>` of a body, or the base64 `x-oss-err` header of a HEAD."""
import base64, re, socket

CLOSED = "closed"     # the server closed the connection without an answer
HUNG = "hung"         # neither an answer nor a close within the timeout


class Answer:
    """What came back: `kind` is "http", CLOSED or HUNG; for "http", status, headers and body."""

    def __init__(self, kind, status=0, headers=None, body=b""):
        self.kind, self.status, self.headers, self.body = kind, status, headers or {}, body

    @property
    def code(self):
        """The OSS error code, from the XML body or the x-oss-err header; "" when neither has one."""
        m = re.search(rb"<Code>([^<]*)</Code>", self.body or b"")
        if m:
            return m.group(1).decode(errors="replace")
        err = self.headers.get("x-oss-err")
        if err:
            try:
                m = re.search(rb"<Code>([^<]*)</Code>", base64.b64decode(err))
                if m:
                    return m.group(1).decode(errors="replace")
            except ValueError:
                return "<bad x-oss-err>"
        return ""

    def __repr__(self):
        if self.kind != "http":
            return self.kind
        return f"{self.status} {self.code or '-'}"


def exchange(port, data, timeout=30, half_close=False, host="127.0.0.1", head=False):
    """Sends `data` (bytes) as is and reads one answer. `half_close` shuts our sending side after
    the data, as a client that vanished mid-body would."""
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        try:
            s.sendall(data)
            if half_close:
                s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass   # the server may close while we still send (e.g. huge headers): read what it said
        return read_answer(s, head)
    finally:
        s.close()


def read_answer(s, head=False):
    buf = b""
    try:
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                return Answer(CLOSED) if not buf else _partial(buf)
            buf += chunk
        head_part, rest = buf.split(b"\r\n\r\n", 1)
        lines = head_part.split(b"\r\n")
        m = re.match(rb"HTTP/1\.[01] (\d{3})", lines[0])
        if not m:
            return Answer(CLOSED)
        status = int(m.group(1))
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            headers[k.strip().lower().decode(errors="replace")] = v.strip().decode(errors="replace")
        if head or status in (204, 304) or 100 <= status < 200:
            return Answer("http", status, headers, b"")
        if "content-length" in headers:
            n = int(headers["content-length"])
            while len(rest) < n:
                chunk = s.recv(65536)
                if not chunk:
                    break
                rest += chunk
            return Answer("http", status, headers, rest[:n])
        if headers.get("transfer-encoding", "").lower() == "chunked":
            return Answer("http", status, headers, _dechunk(s, rest))
        while True:   # body until close
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
        return Answer("http", status, headers, rest)
    except socket.timeout:
        return Answer(HUNG)
    except ConnectionResetError:
        return Answer(CLOSED)


def _partial(buf):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", buf)
    return Answer("http", int(m.group(1))) if m else Answer(CLOSED)


def _dechunk(s, rest):
    out = b""
    while True:
        while b"\r\n" not in rest:
            chunk = s.recv(65536)
            if not chunk:
                return out
            rest += chunk
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line.split(b";")[0], 16)
        while len(rest) < size + 2:
            chunk = s.recv(65536)
            if not chunk:
                return out + rest
            rest += chunk
        if size == 0:
            return out
        out += rest[:size]
        rest = rest[size + 2:]


def build(verb, path, headers, body=b"", version=b"HTTP/1.1"):
    """A request as bytes; header values may be bytes (to carry anything)."""
    lines = [verb.encode() if isinstance(verb, str) else verb]
    req = lines[0] + b" " + (path.encode() if isinstance(path, str) else path) + b" " + version + b"\r\n"
    for k, v in headers.items():
        kb = k.encode() if isinstance(k, str) else k
        vb = v.encode() if isinstance(v, str) else v
        req += kb + b": " + vb + b"\r\n"
    return req + b"\r\n" + body
