"""Symlink semantics: every row of oss-protocol.md tables 1.2-1.5, through oss2 and alibabacloud-oss-v2."""
import base64
import time

import oss2
import requests
import alibabacloud_oss_v2 as oss

from harness import test, unique, check, eq, expect_error, raw, etag_of, mtime_of


# ---- 1.2 PutSymlink -------------------------------------------------------------------------

@test
def put_symlink_returns_etag_and_link_reads_target(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "target", b"hello")
    r = b.put_symlink(p + "target", p + "link")
    eq(r.status, 200, "status")
    check(etag_of(r), "PutSymlink answers an ETag")
    eq(b.get_object(p + "link").read(), b"hello", "body through link")


@test
def put_symlink_without_target_header_is_rejected(env):
    b, p = env.bucket(), unique("sym")
    resp = raw(env, "PUT", p + "link", params={"symlink": ""})
    eq(resp.status_code, 400, "status")
    check(b"<EC>0043-00000001</EC>" in resp.content, "EC 0043-00000001")
    expect_error(lambda: b.get_symlink(p + "link"), 404, "NoSuchKey")


@test
def put_symlink_forbid_overwrite(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "taken", b"x")
    expect_error(lambda: b.put_symlink("t", p + "taken", headers={"x-oss-forbid-overwrite": "true"}), 409, "FileAlreadyExists")
    eq(b.get_object(p + "taken").read(), b"x", "existing object untouched")
    b.put_symlink("t", p + "taken", headers={"x-oss-forbid-overwrite": "false"})
    eq(b.get_symlink(p + "taken").target_key, "t", "overwritten by the link")
    b.put_symlink("fresh", p + "new", headers={"x-oss-forbid-overwrite": "true"})
    expect_error(lambda: b.put_symlink("other", p + "new", headers={"x-oss-forbid-overwrite": "true"}), 409, "FileAlreadyExists")


@test
def put_symlink_acl_header(env):
    b, p = env.bucket(), unique("sym")
    for acl in ["default", "private", "public-read", "public-read-write"]:
        b.put_symlink("t", p + acl, headers={"x-oss-object-acl": acl})
        eq(b.get_object_acl(p + acl).acl, acl, "link ACL")
    expect_error(lambda: b.put_symlink("t", p + "bad", headers={"x-oss-object-acl": "everyone"}), 400, "InvalidArgument")


@test
def put_symlink_storage_class_header(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", b"data")
    b.put_symlink(p + "t", p + "archive", headers={"x-oss-storage-class": "Archive"})
    eq(b.head_object(p + "archive").headers.get("x-oss-storage-class"), "Archive", "link storage class")
    expect_error(lambda: b.put_symlink("t", p + "bad", headers={"x-oss-storage-class": "Bogus"}), 400, "InvalidArgument")


@test
def put_symlink_user_metadata_belongs_to_link(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", b"hello", headers={"x-oss-meta-owner": "target"})
    b.put_symlink(p + "t", p + "l", headers={"x-oss-meta-Key1": "value1", "x-oss-meta-key2": "value2"})
    h = b.head_object(p + "l")
    eq(h.headers.get("x-oss-meta-key1"), "value1", "link meta key1 (name lower-cased)")
    eq(h.headers.get("x-oss-meta-key2"), "value2", "link meta key2")
    eq(h.headers.get("x-oss-meta-owner"), None, "target meta not shown through link")
    r = b.get_symlink(p + "l")
    eq(r.headers.get("x-oss-meta-key1"), "value1", "GetSymlink returns link meta")
    expect_error(lambda: b.put_symlink("t", p + "big", headers={"x-oss-meta-big": "v" * 9000}), 400)


@test
def put_symlink_standard_headers_belong_to_link(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", b"<p>", headers={"Content-Type": "text/html", "Cache-Control": "no-store"})
    b.put_symlink(p + "t", p + "l", headers={"Content-Type": "text/plain", "Cache-Control": "max-age=5",
                                             "Content-Disposition": "attachment; filename=l.txt"})
    r = b.get_object(p + "l")
    eq(r.headers.get("Content-Type"), "text/plain", "Content-Type from link")
    eq(r.headers.get("Cache-Control"), "max-age=5", "Cache-Control from link")
    eq(r.headers.get("Content-Disposition"), "attachment; filename=l.txt", "Content-Disposition from link")


@test
def put_symlink_target_is_percent_decoded_oss2_round_trip(env):
    b, p = env.bucket(), unique("sym")
    weird = "中文!@#$%^&*()-=文件\x0c-1.txt"
    b.put_symlink(p + weird, p + "weird")
    eq(b.get_symlink(p + "weird").target_key, p + weird, "oss2 quote/unquote round trip")
    b.put_object(p + weird, b"w")
    eq(b.get_object(p + "weird").read(), b"w", "decoded target is the real key")


@test
def put_symlink_target_plus_stays_literal(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "a+b", b"plus")
    resp = raw(env, "PUT", p + "l", params={"symlink": ""}, headers={"x-oss-symlink-target": p + "a+b"})
    eq(resp.status_code, 200, "status")
    eq(b.get_object(p + "l").read(), b"plus", "'+' not decoded to space")


@test
def put_symlink_v2_sdk_raw_target(env):
    c, p = env.v2(), unique("sym")
    c.put_object(oss.PutObjectRequest(bucket=env.bucket_name, key=p + "plain-target_1.txt", body=b"v2"))
    c.put_symlink(oss.PutSymlinkRequest(bucket=env.bucket_name, key=p + "l", target=p + "plain-target_1.txt",
                                        metadata={"a": "b"}))
    r = c.get_symlink(oss.GetSymlinkRequest(bucket=env.bucket_name, key=p + "l"))
    eq(r.target, p + "plain-target_1.txt", "unreserved characters and '/' come back unchanged")
    eq(r.metadata.get("a"), "b", "link metadata")
    g = c.get_object(oss.GetObjectRequest(bucket=env.bucket_name, key=p + "l"))
    eq(g.body.read(), b"v2", "GetObject through link")


@test
def put_symlink_query_flag_with_and_without_equals(env):
    b, p = env.bucket(), unique("sym")
    for suffix, query in [("a", "symlink"), ("b", "symlink=")]:
        resp = raw(env, "PUT", p + suffix, params={"symlink": ""}, headers={"x-oss-symlink-target": "tgt"}, query=query)
        eq(resp.status_code, 200, "PUT ?%s" % query)
        eq(b.get_symlink(p + suffix).target_key, "tgt", "target of ?%s link" % query)


@test
def put_symlink_performs_no_target_checks(env):
    b, p = env.bucket(), unique("sym")
    b.put_symlink(p + "does-not-exist", p + "dangling")
    b.put_symlink(p + "dangling", p + "to-link")
    eq(b.get_symlink(p + "to-link").target_key, p + "dangling", "link to a link is created")


@test
def put_symlink_to_missing_bucket(env):
    b = env.bucket(name="no-such-bucket-xyz")
    expect_error(lambda: b.put_symlink("t", "l"), 404, "NoSuchBucket")


# ---- 1.3 GetSymlink -------------------------------------------------------------------------

@test
def get_symlink_answers_link_etag_last_modified_and_meta(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", b"hello")
    put = b.put_symlink(p + "t", p + "l", headers={"x-oss-meta-m": "1"})
    r = b.get_symlink(p + "l")
    eq(r.target_key, p + "t", "target")
    eq(etag_of(r), etag_of(put), "ETag is the link's")
    check(etag_of(r) != b.head_object(p + "t").etag, "link ETag differs from target ETag")
    check(mtime_of(r) > 0, "Last-Modified present")
    eq(r.headers.get("Content-Length"), "0", "empty body")


@test
def get_symlink_errors(env):
    b, p = env.bucket(), unique("sym")
    expect_error(lambda: b.get_symlink(p + "missing"), 404, "NoSuchKey")
    b.put_object(p + "plain", b"x")
    e = expect_error(lambda: b.get_symlink(p + "plain"), 400, "NotSymlink")
    eq(e.ec, "0043-00000101", "EC")
    expect_error(lambda: env.bucket(name="no-such-bucket-xyz").get_symlink("l"), 404, "NoSuchBucket")


@test
def get_symlink_does_not_touch_target(env):
    b, p = env.bucket(), unique("sym")
    b.put_symlink(p + "gone", p + "l")
    eq(b.get_symlink(p + "l").target_key, p + "gone", "GetSymlink works for a dangling link")


# ---- 1.4 Reading through a link ---------------------------------------------------------------

@test
def head_through_link_header_provenance(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", b"hello", headers={"Content-Type": "text/html", "x-oss-meta-t": "target"})
    time.sleep(1.1)
    b.put_symlink(p + "t", p + "l", headers={"x-oss-meta-key1": "k1", "x-oss-meta-key2": "k2"})
    h = b.head_object(p + "l")
    eq(h.content_length, 5, "Content-Length from target")
    eq(h.etag, "5D41402ABC4B2A76B9719D911017C592", "ETag from target")
    eq(h.headers.get("x-oss-object-type"), "Symlink", "object type")
    eq(h.headers.get("x-oss-hash-crc64ecma"), "11177612005948864433", "CRC of target")
    eq(h.headers.get("Content-MD5"), "XUFAKrxLKna5cZ2REBfFkg==", "Content-MD5 from target")
    eq(h.headers.get("x-oss-meta-key1"), "k1", "link meta")
    eq(h.headers.get("Content-Type"), "application/octet-stream", "Content-Type is the link's")
    check(h.headers.get("x-oss-symlink-target") is None, "no x-oss-symlink-target on HEAD")
    link_mtime = mtime_of(b.get_symlink(p + "l"))
    target_mtime = b.head_object(p + "t").last_modified
    eq(h.last_modified, max(link_mtime, target_mtime), "Last-Modified = max(link, target)")
    time.sleep(1.1)
    b.put_object(p + "t", b"hello")
    eq(b.head_object(p + "l").last_modified, b.head_object(p + "t").last_modified, "newer target wins")


@test
def get_through_link_sdk_crc_check_passes(env):
    b, p = env.bucket(), unique("sym")
    b.enable_crc = True
    b.put_object(p + "t", b"0123456789" * 100)
    b.put_symlink(p + "t", p + "l")
    eq(b.get_object(p + "l").read(), b"0123456789" * 100, "full body; oss2 verified CRC")


@test
def range_through_link_applies_to_target(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", bytes(range(256)) * 4)
    b.put_symlink(p + "t", p + "l")
    r = b.get_object(p + "l", byte_range=(10, 19))
    eq(r.status, 206, "status")
    eq(r.read(), bytes(range(10, 20)), "bytes 10-19")
    eq(r.headers.get("Content-Range"), "bytes 10-19/1024", "Content-Range uses target size")
    expect_error(lambda: b.get_object(p + "l", byte_range=(2000, 3000), headers={"x-oss-range-behavior": "standard"}),
                 416, "InvalidRange")


@test
def conditionals_through_link_use_target_etag(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", b"hello")
    b.put_symlink(p + "t", p + "l")
    etag = '"5D41402ABC4B2A76B9719D911017C592"'
    eq(b.get_object(p + "l", headers={"If-Match": etag}).read(), b"hello", "If-Match target ETag")
    expect_error(lambda: b.get_object(p + "l", headers={"If-Match": '"00"'}), 412, "PreconditionFailed")
    expect_error(lambda: b.get_object(p + "l", headers={"If-None-Match": etag}), 304)


@test
def errors_following_links(env):
    b, p = env.bucket(), unique("sym")
    expect_error(lambda: b.get_object(p + "nolink"), 404, "NoSuchKey")
    b.put_symlink(p + "missing", p + "dangling")
    e = expect_error(lambda: b.get_object(p + "dangling"), 404, "SymlinkTargetNotExist")
    eq(e.details.get("EC"), "0026-00000012", "EC")
    b.put_object(p + "t", b"x")
    b.put_symlink(p + "t", p + "l1")
    b.put_symlink(p + "l1", p + "l2")
    e = expect_error(lambda: b.get_object(p + "l2"), 400, "InvalidTargetType")
    eq(e.details.get("Message"), "The symbolic's target file type is invalid", "message")
    eq(e.details.get("EC"), "0026-00000011", "EC")


@test
def head_errors_following_links_use_x_oss_err(env):
    b, p = env.bucket(), unique("sym")
    b.put_symlink(p + "missing", p + "dangling")
    resp = raw(env, "HEAD", p + "dangling")
    eq(resp.status_code, 404, "status")
    eq(resp.content, b"", "no body")
    eq(resp.headers.get("x-oss-ec"), "0026-00000012", "x-oss-ec")
    xml = base64.b64decode(resp.headers["x-oss-err"])
    check(b"<Code>SymlinkTargetNotExist</Code>" in xml, "x-oss-err carries the code")
    c = env.v2()
    b.put_object(p + "t", b"x")
    b.put_symlink(p + "t", p + "l1")
    b.put_symlink(p + "l1", p + "l2")
    e = expect_error(lambda: c.head_object(oss.HeadObjectRequest(bucket=env.bucket_name, key=p + "l2")), 400, "InvalidTargetType")
    eq(e.ec, "0026-00000011", "v2 SDK decodes x-oss-err")


# ---- 1.5 Other operations on a link ------------------------------------------------------------

@test
def delete_link_keeps_target(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", b"keep")
    b.put_symlink(p + "t", p + "l")
    eq(b.delete_object(p + "l").status, 204, "DeleteObject 204")
    expect_error(lambda: b.get_symlink(p + "l"), 404, "NoSuchKey")
    eq(b.get_object(p + "t").read(), b"keep", "target untouched")
    b.put_symlink(p + "t", p + "l2")
    r = b.batch_delete_objects([p + "l2"])
    eq(r.deleted_keys, [p + "l2"], "DeleteMultipleObjects")
    eq(b.get_object(p + "t").read(), b"keep", "target untouched by DeleteMultiple")


@test
def copy_object_of_link_copies_the_link(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", b"data")
    b.put_symlink(p + "t", p + "l", headers={"x-oss-meta-x": "1"})
    b.copy_object(env.bucket_name, p + "l", p + "copy")
    eq(b.get_symlink(p + "copy").target_key, p + "t", "destination is a link to the same target")
    eq(b.head_object(p + "copy").headers.get("x-oss-object-type"), "Symlink", "type")
    eq(b.head_object(p + "copy").headers.get("x-oss-meta-x"), "1", "link metadata copied")


@test
def put_object_and_put_symlink_replace_a_link(env):
    b, p = env.bucket(), unique("sym")
    b.put_symlink("a", p + "l")
    b.put_object(p + "l", b"now normal")
    eq(b.head_object(p + "l").headers.get("x-oss-object-type"), "Normal", "PutObject replaces link")
    expect_error(lambda: b.get_symlink(p + "l"), 400, "NotSymlink")
    b.put_symlink("b", p + "l")
    eq(b.get_symlink(p + "l").target_key, "b", "PutSymlink replaces object")
    b.put_symlink("c", p + "l")
    eq(b.get_symlink(p + "l").target_key, "c", "PutSymlink replaces link")


@test
def complete_multipart_on_link_key_replaces_link(env):
    b, p = env.bucket(), unique("sym")
    b.put_symlink("a", p + "l")
    up = b.init_multipart_upload(p + "l").upload_id
    e = b.upload_part(p + "l", up, 1, b"mp").etag
    b.complete_multipart_upload(p + "l", up, [oss2.models.PartInfo(1, e)])
    eq(b.head_object(p + "l").headers.get("x-oss-object-type"), "Multipart", "type after Complete")


@test
def append_on_link_is_not_appendable(env):
    b, p = env.bucket(), unique("sym")
    b.put_symlink(p + "t", p + "l")
    expect_error(lambda: b.append_object(p + "l", 0, b"x"), 409, "ObjectNotAppendable")


@test
def get_object_meta_on_link_reports_the_link(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", b"hello world")
    b.put_symlink(p + "t", p + "l")
    m = b.get_object_meta(p + "l")
    eq(m.content_length, len((p + "t").encode()), "length of the link (its target name)")
    eq(m.etag, etag_of(b.get_symlink(p + "l")), "ETag of the link")


@test
def object_acl_on_link_is_the_links_own(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", b"x")
    b.put_symlink(p + "t", p + "l")
    b.put_object_acl(p + "l", "public-read")
    eq(b.get_object_acl(p + "l").acl, "public-read", "link ACL")
    eq(b.get_object_acl(p + "t").acl, "default", "target ACL untouched")


@test
def listing_shows_symlink_type_with_link_size(env):
    b, p = env.bucket(), unique("sym")
    b.put_object(p + "t", b"0123456789")
    put = b.put_symlink(p + "t", p + "l")
    entries = {o.key: o for o in oss2.ObjectIterator(b, prefix=p)}
    eq(entries[p + "l"].type, "Symlink", "V1 Type")
    eq(entries[p + "l"].size, len((p + "t").encode()), "listing Size is the link's")
    eq(entries[p + "l"].etag, etag_of(put), "listing ETag is the link's")
    eq(entries[p + "t"].type, "Normal", "target Type")
    v2 = {o.key: o for o in oss2.ObjectIteratorV2(b, prefix=p)}
    eq(v2[p + "l"].type, "Symlink", "V2 Type")
