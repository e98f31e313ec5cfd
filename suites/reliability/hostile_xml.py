"""Hostile XML bodies for DeleteMultipleObjects and CompleteMultipartUpload, and bad multipart
parameters. A refused delete deletes nothing; a refused complete creates nothing and leaves the
upload abortable."""
import re

from probe import err, ok, pred, md5_b64

MALFORMED = [err(400, "MalformedXML")]


def bodies(p, keys):
    objs = "".join(f"<Object><Key>{k}</Key></Object>" for k in keys)
    bomb = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
            + f']><Delete><Object><Key>&{chr(105)};</Key></Object></Delete>')
    xxe = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<Delete><Quiet>false</Quiet><Object><Key>&x;</Key></Object></Delete>')
    return [
        ("not XML", p.garbage(p.rng.randrange(1, 300)), MALFORMED),
        ("unclosed root", f"<Delete>{objs}".encode(), MALFORMED),
        ("wrong root", f"<Remove>{objs}</Remove>".encode(), MALFORMED),
        ("empty body", b"", MALFORMED + [err(400, "InvalidDigest", "MissingArgument", "InvalidArgument"),
                                         err(411, "MissingContentLength", "MissingArgument")]),
        ("no objects", b"<Delete><Quiet>true</Quiet></Delete>", MALFORMED + [err(400, "InvalidArgument")]),
        ("1001 keys", ("<Delete>" + "".join(f"<Object><Key>zzhostile-none-{n}</Key></Object>" for n in range(1001))
                       + "</Delete>").encode(), MALFORMED + [err(400, "InvalidArgument")]),
        # UNCONFIRMED what OSS does with a Quiet that is not a boolean: refusing and reading it as
        # false are both defensible (a 200 then deletes the keys, which are put back).
        ("Quiet not boolean", f"<Delete><Quiet>maybe</Quiet>{objs}</Delete>".encode(),
         MALFORMED + [err(400, "InvalidArgument"), ok(200)]),
        ("mismatched tags", f"<Delete><Object><Key>{keys[0]}</Object></Key></Delete>".encode(), MALFORMED),
        ("entity expansion bomb", bomb.encode(), MALFORMED + [ok(200)]),
        ("external entity", xxe.encode(), MALFORMED + [pred("200 without file content",
                                                            lambda a: a.status == 200 and b"root:" not in a.body)]),
        ("NUL in key", f"<Delete><Object><Key>{keys[0]}\x00</Key></Object></Delete>".encode(),
         MALFORMED + [err(400, "InvalidObjectName", "InvalidArgument")]),
        ("invalid UTF-8", b"<Delete><Object><Key>\xff\xfe</Key></Object></Delete>", MALFORMED),
        # FoundationXML crashes on these three (refused by OSSProtocol XMLNode.parse since).
        ("XML declaration without data", f"<?xml?>{'<Delete>' + objs + '</Delete>'}".encode(), MALFORMED),
        ("DTD attribute list", f"<!DOCTYPE Delete [<!ATTLIST Delete q CDATA #IMPLIED>]><Delete>{objs}</Delete>".encode(),
         MALFORMED + [ok(200)]),
        ("invalid UTF-8 in an element name", b"<Delete><Object><Key\xe1e>k</Key\xe1e></Object></Delete>", MALFORMED),
    ]


def run(p, reps):
    for i in range(reps):
        delete_multiple(p, i)
        multipart(p, i)


def delete_multiple(p, i):
    keys = [p.key("del") for _ in range(3)]
    for k in keys:
        p.put_ok(k, k.encode())
    cases = bodies(p, keys)
    for name, body, expect in p.rng.sample(cases, 6) + [cases[i % len(cases)]]:
        a = p.send(f"DeleteMultipleObjects: {name}", "POST", "", expect, query=[("delete", "")], body=body,
                   headers={"Content-MD5": md5_b64(body), "Content-Type": "application/xml"})
        if a.kind == "http" and a.status == 200:   # an accepted request may delete: restore the keys
            for k in keys:
                p.put_ok(k, k.encode())
    good = ("<Delete><Quiet>true</Quiet>" + "".join(f"<Object><Key>{k}</Key></Object>" for k in keys)
            + "</Delete>").encode()
    p.send("DeleteMultipleObjects: wrong Content-MD5", "POST", "", [err(400, "InvalidDigest")],
           query=[("delete", "")], body=good, headers={"Content-MD5": md5_b64(good + b" ")})
    for k in keys:
        p.fig.check(p.get_body(k) == k.encode(), f"refused DeleteMultipleObjects removed or changed {k}")


def initiate(p, key):
    a = p.send("InitiateMultipartUpload (setup)", "POST", key, [ok(200)], query=[("uploads", "")], setup=True)
    m = re.search(rb"<UploadId>([^<]+)</UploadId>", a.body)
    return m.group(1).decode() if m else None


def multipart(p, i):
    key = p.key("mpu")
    upload = initiate(p, key)
    if not upload:
        return
    etags = []
    for n in (1, 2):
        a = p.send("UploadPart (setup)", "PUT", key, [ok(200)], body=p.garbage(200 * 1024 if n == 1 else 10),
                   query=[("partNumber", str(n)), ("uploadId", upload)], setup=True)
        etags.append(a.headers.get("etag", ""))
    q = [("uploadId", upload)]
    parts = "".join(f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>" for n, e in zip((1, 2), etags))
    cases = [("not XML", p.garbage(64), MALFORMED),
             ("unclosed", f"<CompleteMultipartUpload>{parts}".encode(), MALFORMED),
             ("PartNumber not a number",
              f"<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>{etags[0]}</ETag></Part>"
              "</CompleteMultipartUpload>".encode(), MALFORMED + [err(400, "InvalidArgument", "InvalidPart")]),
             ("unknown ETag", b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"00\"</ETag>"
              b"</Part></CompleteMultipartUpload>", [err(400, "InvalidPart")]),
             ("unknown part", f"<CompleteMultipartUpload><Part><PartNumber>7</PartNumber><ETag>{etags[0]}</ETag>"
              "</Part></CompleteMultipartUpload>".encode(), [err(400, "InvalidPart")]),
             ("descending parts", ("<CompleteMultipartUpload>" + "".join(
                 f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>" for n, e in ((2, etags[1]), (1, etags[0])))
                 + "</CompleteMultipartUpload>").encode(), [err(400, "InvalidPartOrder")]),
             ("no parts", b"<CompleteMultipartUpload></CompleteMultipartUpload>",
              MALFORMED + [err(400, "InvalidArgument", "InvalidPart")]),
             ("invalid UTF-8 in an element name", b"<CompleteMultipartUpload><Part\xe1e/></CompleteMultipartUpload>",
              MALFORMED),
             ("processing instruction without data", b"<CompleteMultipartUpload><?pi?></CompleteMultipartUpload>",
              MALFORMED + [err(400, "InvalidPart", "InvalidArgument")]),
             ("entity bomb", bodies(p, [key])[8][1].replace(b"Delete", b"CompleteMultipartUpload"),
              MALFORMED + [err(400, "InvalidPart", "InvalidArgument")])]
    for name, body, expect in p.rng.sample(cases, 4) + [cases[i % len(cases)]]:
        p.send(f"CompleteMultipartUpload: {name}", "POST", key, expect, query=q, body=body)
    a = p.head_code(key)
    p.fig.check(a.kind == "http" and a.status == 404, f"refused CompleteMultipartUpload created {key} ({a!r})")
    for n in p.rng.sample(["0", "10001", "abc", "-1", ""], 2):
        p.send(f"UploadPart partNumber={n!r}", "PUT", key, [err(400, "InvalidArgument")], body=b"p",
               query=[("partNumber", n), ("uploadId", upload)])
    p.send("UploadPart to an unknown upload", "PUT", key, [err(404, "NoSuchUpload")], body=b"p",
           query=[("partNumber", "1"), ("uploadId", "00" * 16)])
    p.send("Complete of an unknown upload", "POST", key, [err(404, "NoSuchUpload")],
           query=[("uploadId", "deadbeef" * 4)], body=f"<CompleteMultipartUpload>{parts}</CompleteMultipartUpload>".encode())
    p.send("AbortMultipartUpload after refused completes", "DELETE", key, [ok(204)], query=q, setup=True)
