"""CopyObject (oss-protocol.md 2.8) and AppendObject (2.9)."""
import time

import oss2
import alibabacloud_oss_v2 as oss

from harness import test, unique, check, eq, expect_error, raw


@test
def copy_with_copy_and_replace_directives(env):
    b, p = env.bucket(), unique("cp")
    b.put_object(p + "src", b"data", headers={"Content-Type": "text/x-src", "x-oss-meta-a": "1"})
    r = b.copy_object(env.bucket_name, p + "src", p + "copy")
    eq(r.etag, "8D777F385D3DFEC8815D20F7496026DC", "CopyObjectResult ETag")
    h = b.head_object(p + "copy")
    eq((h.headers["Content-Type"], h.headers.get("x-oss-meta-a")), ("text/x-src", "1"), "COPY keeps metadata")
    b.copy_object(env.bucket_name, p + "src", p + "replace",
                  headers={"x-oss-metadata-directive": "REPLACE", "Content-Type": "text/x-new", "x-oss-meta-b": "2"})
    h = b.head_object(p + "replace")
    eq((h.headers["Content-Type"], h.headers.get("x-oss-meta-a"), h.headers.get("x-oss-meta-b")),
       ("text/x-new", None, "2"), "REPLACE uses request headers")
    eq(b.get_object(p + "replace").read(), b"data", "data copied")
    b.delete_object(p + "src")
    eq(b.get_object(p + "copy").read(), b"data", "copy independent of source")


@test
def copy_same_key_edits_metadata(env):
    b, p = env.bucket(), unique("cp")
    b.put_object(p + "k", b"body", headers={"x-oss-meta-old": "1"})
    before = b.head_object(p + "k").etag
    b.update_object_meta(p + "k", {"x-oss-meta-new": "2", "Content-Type": "text/x-edit"})
    h = b.head_object(p + "k")
    eq(h.headers.get("x-oss-meta-new"), "2", "new metadata")
    eq(h.headers.get("x-oss-meta-old"), None, "old metadata replaced")
    eq(h.etag, before, "ETag unchanged")
    eq(b.get_object(p + "k").read(), b"body", "data unchanged")


@test
def copy_source_percent_decoding_and_v2(env):
    b, p = env.bucket(), unique("cp")
    key = p + "dir/with space+plus%and/ü"
    b.put_object(key, b"odd")
    b.copy_object(env.bucket_name, key, p + "oss2-copy")
    eq(b.get_object(p + "oss2-copy").read(), b"odd", "oss2 (encodes '/' as %2F)")
    c = env.v2()
    c.copy_object(oss.CopyObjectRequest(bucket=env.bucket_name, key=p + "v2-copy", source_key=key))
    eq(b.get_object(p + "v2-copy").read(), b"odd", "v2 SDK (keeps '/')")


@test
def copy_forbid_overwrite_and_missing_source(env):
    b, p = env.bucket(), unique("cp")
    b.put_object(p + "src", b"s")
    b.put_object(p + "dst", b"d")
    expect_error(lambda: b.copy_object(env.bucket_name, p + "src", p + "dst", headers={"x-oss-forbid-overwrite": "true"}),
                 409, "FileAlreadyExists")
    eq(b.get_object(p + "dst").read(), b"d", "destination kept")
    expect_error(lambda: b.copy_object(env.bucket_name, p + "nope", p + "x"), 404, "NoSuchKey")
    expect_error(lambda: b.copy_object("no-such-bucket-xyz", p + "src", p + "x"), 404, "NoSuchBucket")


@test
def copy_source_preconditions(env):
    b, p = env.bucket(), unique("cp")
    b.put_object(p + "src", b"s")
    etag = '"%s"' % b.head_object(p + "src").etag
    b.copy_object(env.bucket_name, p + "src", p + "a", headers={"x-oss-copy-source-if-match": etag})
    expect_error(lambda: b.copy_object(env.bucket_name, p + "src", p + "b", headers={"x-oss-copy-source-if-match": '"00"'}),
                 412, "PreconditionFailed")
    expect_error(lambda: b.copy_object(env.bucket_name, p + "src", p + "c", headers={"x-oss-copy-source-if-none-match": etag}),
                 304)
    past = oss2.utils.http_date(int(time.time()) - 3600)
    expect_error(lambda: b.copy_object(env.bucket_name, p + "src", p + "d",
                                       headers={"x-oss-copy-source-if-unmodified-since": past}), 412, "PreconditionFailed")
    expect_error(lambda: b.copy_object(env.bucket_name, p + "src", p + "e",
                                       headers={"x-oss-copy-source-if-modified-since": oss2.utils.http_date(int(time.time()) + 60)}),
                 304)


@test
def append_positions_crc_and_type(env):
    b, p = env.bucket(), unique("ap")
    b.enable_crc = True
    r = b.append_object(p + "a", 0, b"hello ", headers={"Content-Type": "text/x-app", "x-oss-meta-x": "1"})
    eq(r.next_position, 6, "next position")
    r = b.append_object(p + "a", 6, b"world", init_crc=r.crc)
    eq(r.next_position, 11, "next position after second append")
    eq(r.crc, 5981764153023615706, "CRC-64 of the whole object 'hello world'")
    h = b.head_object(p + "a")
    eq(h.headers["x-oss-object-type"], "Appendable", "type")
    eq(h.headers["x-oss-next-append-position"], "11", "HEAD next position")
    eq(h.headers["Content-Type"], "text/x-app", "headers from the first append")
    eq(b.get_object(p + "a").read(), b"hello world", "body")
    e = expect_error(lambda: b.append_object(p + "a", 3, b"x"), 409, "PositionNotEqualToLength")
    eq(e.headers.get("x-oss-next-append-position"), "11", "real length in the error")
    eq(b.append_object(p + "a", 11, b"").next_position, 11, "empty append is a no-op")
    b.put_object(p + "n", b"normal")
    expect_error(lambda: b.append_object(p + "n", 0, b"x"), 409, "ObjectNotAppendable")
    b.put_object(p + "a", b"overwritten")
    eq(b.head_object(p + "a").headers["x-oss-object-type"], "Normal", "PutObject replaces appendable")


@test
def append_v2_sdk(env):
    c, p = env.v2(), unique("ap")
    r = c.append_object(oss.AppendObjectRequest(bucket=env.bucket_name, key=p + "v2", position=0, body=b"abc"))
    eq(r.next_position, 3, "next position")
    r = c.append_object(oss.AppendObjectRequest(bucket=env.bucket_name, key=p + "v2", position=3, body=b"def"))
    eq(r.next_position, 6, "next position")
    eq(c.get_object(oss.GetObjectRequest(bucket=env.bucket_name, key=p + "v2")).body.read(), b"abcdef", "body")


@test
def appendable_cannot_be_copied_to_other_key(env):
    b, p = env.bucket(), unique("ap")
    b.append_object(p + "a", 0, b"x")
    expect_error(lambda: b.copy_object(env.bucket_name, p + "a", p + "b"), 400, "InvalidArgument")
