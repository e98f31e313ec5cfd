"""Multipart upload (oss-protocol.md 2.12)."""
import hashlib
import os

import oss2
import alibabacloud_oss_v2 as oss

from harness import test, unique, check, eq, expect_error, raw

KIB = 1024


@test
def multipart_round_trip_etag_and_crc(env):
    b, p = env.bucket(), unique("mp")
    b.enable_crc = True
    key = p + "obj"
    parts = [os.urandom(120 * KIB), os.urandom(100 * KIB), os.urandom(7)]
    up = b.init_multipart_upload(key, headers={"Content-Type": "text/x-mp", "x-oss-meta-m": "1"}).upload_id
    infos = []
    for i, data in enumerate(parts, 1):
        r = b.upload_part(key, up, i, data)
        eq(r.etag, hashlib.md5(data).hexdigest().upper(), "part ETag is its MD5")
        infos.append(oss2.models.PartInfo(i, r.etag))
    listed = b.list_parts(key, up)
    eq([x.part_number for x in listed.parts], [1, 2, 3], "ListParts")
    eq([x.size for x in listed.parts], [len(d) for d in parts], "ListParts sizes")
    r = b.complete_multipart_upload(key, up, infos)
    expected = hashlib.md5(b"".join(hashlib.md5(d).digest() for d in parts)).hexdigest().upper() + "-3"
    eq(r.etag, expected, "S3-style HEX-N ETag")
    h = b.head_object(key)
    eq(h.headers["x-oss-object-type"], "Multipart", "type")
    eq(h.headers["Content-Type"], "text/x-mp", "headers from Initiate")
    eq(h.headers["x-oss-meta-m"], "1", "metadata from Initiate")
    eq(b.get_object(key).read(), b"".join(parts), "body (oss2 verifies the CRC)")
    expect_error(lambda: b.list_parts(key, up), 404, "NoSuchUpload")


@test
def existing_object_unaffected_until_complete(env):
    b, p = env.bucket(), unique("mp")
    b.put_object(p + "k", b"old")
    up = b.init_multipart_upload(p + "k").upload_id
    b.upload_part(p + "k", up, 1, b"new")
    eq(b.get_object(p + "k").read(), b"old", "old object still served")
    b.abort_multipart_upload(p + "k", up)
    eq(b.get_object(p + "k").read(), b"old", "after abort")
    expect_error(lambda: b.upload_part(p + "k", up, 2, b"x"), 404, "NoSuchUpload")
    expect_error(lambda: b.abort_multipart_upload(p + "k", up), 404, "NoSuchUpload")


@test
def complete_rejects_bad_part_lists(env):
    b, p = env.bucket(), unique("mp")
    key = p + "k"
    up = b.init_multipart_upload(key).upload_id
    e1 = b.upload_part(key, up, 1, os.urandom(100 * KIB)).etag
    e2 = b.upload_part(key, up, 2, b"tail").etag
    unordered = ("<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>\"%s\"</ETag></Part>"
                 "<Part><PartNumber>1</PartNumber><ETag>\"%s\"</ETag></Part></CompleteMultipartUpload>" % (e2, e1))
    r = raw(env, "POST", key, params={"uploadId": up}, data=unordered.encode())
    eq(r.status_code, 400, "descending part numbers")
    check(b"<Code>InvalidPartOrder</Code>" in r.content, "InvalidPartOrder")
    expect_error(lambda: b.complete_multipart_upload(key, up, [oss2.models.PartInfo(1, "0" * 32)]), 400, "InvalidPart")
    expect_error(lambda: b.complete_multipart_upload(key, up, [oss2.models.PartInfo(3, e2)]), 400, "InvalidPart")
    small = b.init_multipart_upload(key).upload_id
    s1 = b.upload_part(key, small, 1, b"x" * (100 * KIB - 1)).etag
    s2 = b.upload_part(key, small, 2, b"y").etag
    expect_error(lambda: b.complete_multipart_upload(key, small, [oss2.models.PartInfo(1, s1), oss2.models.PartInfo(2, s2)]),
                 400, "EntityTooSmall")
    r = raw(env, "POST", key, params={"uploadId": up}, data=b"<CompleteMultipartUpload><Part>")
    eq(r.status_code, 400, "malformed XML")
    check(b"<Code>MalformedXML</Code>" in r.content, "MalformedXML")
    b.complete_multipart_upload(key, up, [oss2.models.PartInfo(1, e1), oss2.models.PartInfo(2, e2)])


@test
def complete_all_header(env):
    b, p = env.bucket(), unique("mp")
    key = p + "all"
    up = b.init_multipart_upload(key).upload_id
    first = os.urandom(100 * KIB)
    b.upload_part(key, up, 1, first)
    b.upload_part(key, up, 3, b"end")
    r = raw(env, "POST", key, params={"uploadId": up}, headers={"x-oss-complete-all": "yes"})
    eq(r.status_code, 200, "complete-all")
    eq(b.get_object(key).read(), first + b"end", "all parts in order")


@test
def part_number_limits_and_overwrite(env):
    b, p = env.bucket(), unique("mp")
    key = p + "k"
    up = b.init_multipart_upload(key).upload_id
    expect_error(lambda: b.upload_part(key, up, 0, b"x"), 400, "InvalidArgument")
    expect_error(lambda: b.upload_part(key, up, 10001, b"x"), 400, "InvalidArgument")
    b.upload_part(key, up, 1, b"first")
    e = b.upload_part(key, up, 1, b"second").etag
    eq(b.list_parts(key, up).parts[0].size, 6, "same number again replaces the part")
    b.complete_multipart_upload(key, up, [oss2.models.PartInfo(1, e)])
    eq(b.get_object(key).read(), b"second", "body")
    up2 = b.init_multipart_upload(key).upload_id
    expect_error(lambda: b.upload_part(key, up2, 1, b"x", headers={"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}), 400, "InvalidDigest")


@test
def list_multipart_uploads_and_forbid_overwrite(env):
    b, p = env.bucket(), unique("mp")
    u1 = b.init_multipart_upload(p + "a").upload_id
    u2 = b.init_multipart_upload(p + "b").upload_id
    got = [(u.key, u.upload_id) for u in oss2.MultipartUploadIterator(b, prefix=p)]
    eq(sorted(got), sorted([(p + "a", u1), (p + "b", u2)]), "ListMultipartUploads")
    b.put_object(p + "exists", b"x")
    up = b.init_multipart_upload(p + "exists").upload_id
    e = b.upload_part(p + "exists", up, 1, b"y").etag
    expect_error(lambda: b.complete_multipart_upload(p + "exists", up, [oss2.models.PartInfo(1, e)],
                                                     headers={"x-oss-forbid-overwrite": "true"}), 409, "FileAlreadyExists")


@test
def upload_part_copy(env):
    b, p = env.bucket(), unique("mp")
    src = os.urandom(300 * KIB)
    b.put_object(p + "src", src)
    up = b.init_multipart_upload(p + "dst").upload_id
    r1 = b.upload_part_copy(env.bucket_name, p + "src", (0, 150 * KIB - 1), p + "dst", up, 1)
    r2 = b.upload_part_copy(env.bucket_name, p + "src", (150 * KIB, 300 * KIB - 1), p + "dst", up, 2)
    b.complete_multipart_upload(p + "dst", up, [oss2.models.PartInfo(1, r1.etag), oss2.models.PartInfo(2, r2.etag)])
    eq(b.get_object(p + "dst").read(), src, "copied parts")


@test
def v2_sdk_multipart(env):
    c, p = env.v2(), unique("mp")
    key = p + "v2"
    init = c.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=env.bucket_name, key=key))
    data = [os.urandom(100 * KIB), b"last"]
    parts = []
    for i, d in enumerate(data, 1):
        r = c.upload_part(oss.UploadPartRequest(bucket=env.bucket_name, key=key, upload_id=init.upload_id, part_number=i, body=d))
        parts.append(oss.UploadPart(part_number=i, etag=r.etag))
    c.complete_multipart_upload(oss.CompleteMultipartUploadRequest(
        bucket=env.bucket_name, key=key, upload_id=init.upload_id,
        complete_multipart_upload=oss.CompleteMultipartUpload(parts=parts)))
    eq(c.get_object(oss.GetObjectRequest(bucket=env.bucket_name, key=key)).body.read(), b"".join(data), "v2 body")


@test
def multipart_object_ranges_copies_and_part_copy_across_part_boundaries(env):
    """A completed upload keeps its parts as separate data files: every read must stitch them."""
    b, p = env.bucket(), unique("mp")
    b.enable_crc = True
    key = p + "seg"
    parts = [os.urandom(100 * KIB + 3), os.urandom(100 * KIB + 5), os.urandom(1234)]
    whole = b"".join(parts)
    up = b.init_multipart_upload(key).upload_id
    infos = [oss2.models.PartInfo(i, b.upload_part(key, up, i, d).etag) for i, d in enumerate(parts, 1)]
    b.upload_part(key, up, 7, b"never completed")
    b.complete_multipart_upload(key, up, infos)
    eq(b.get_object(key).read(), whole, "whole body")
    for first, last in [(0, 0), (100 * KIB, 100 * KIB + 10), (100 * KIB + 2, 200 * KIB + 9), (len(whole) - 5, len(whole) - 1),
                        (50, len(whole) - 50)]:
        eq(b.get_object(key, byte_range=(first, last)).read(), whole[first:last + 1], "range %d-%d" % (first, last))
    b.copy_object(env.bucket_name, key, p + "copy")
    b.delete_object(key)
    eq(b.get_object(p + "copy").read(), whole, "copy survives the source's deletion")
    up2 = b.init_multipart_upload(p + "pc").upload_id
    r = b.upload_part_copy(env.bucket_name, p + "copy", (100 * KIB - 10, 200 * KIB + 20), p + "pc", up2, 1)
    b.complete_multipart_upload(p + "pc", up2, [oss2.models.PartInfo(1, r.etag)])
    eq(b.get_object(p + "pc").read(), whole[100 * KIB - 10:200 * KIB + 21], "UploadPartCopy across part files")
    b.put_object(p + "copy", b"replaced")
    eq(b.get_object(p + "copy").read(), b"replaced", "overwrite of a multipart object")
