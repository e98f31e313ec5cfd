"""ListObjects V1 and V2: prefix, delimiter, paging (marker / continuation-token / start-after),
max-keys limits, encoding-type=url, byte order and Type (oss-protocol.md 2.11)."""
import oss2
import alibabacloud_oss_v2 as oss

from harness import test, unique, check, eq, expect_error, raw

ODD_KEYS = ["a/b", "a-b", "a/", "a0", "Z", "é", "a/b/c", "space key", "tab\tkey", "ctrl\x01key"]


def populate(b, p, names):
    for n in names:
        b.put_object(p + n, n.encode())


@test
def keys_come_back_in_byte_order(env):
    b, p = env.bucket(), unique("lst")
    populate(b, p, ODD_KEYS)
    expected = sorted((p + k for k in ODD_KEYS), key=lambda s: s.encode())
    eq([o.key for o in oss2.ObjectIterator(b, prefix=p)], expected, "V1 order (oss2 url-decodes)")
    eq([o.key for o in oss2.ObjectIteratorV2(b, prefix=p)], expected, "V2 order")
    c = env.v2()
    keys = []
    for page in c.list_objects_v2_paginator().iter_page(oss.ListObjectsV2Request(bucket=env.bucket_name, prefix=p, max_keys=3)):
        keys += [o.key for o in page.contents or []]
    eq(keys, expected, "v2 SDK paginator, 3 per page")


@test
def v1_paging_with_marker(env):
    b, p = env.bucket(), unique("lst")
    names = ["k%03d" % i for i in range(25)]
    populate(b, p, names)
    r = b.list_objects(prefix=p, max_keys=10)
    eq(len(r.object_list), 10, "page size")
    check(r.is_truncated, "truncated")
    eq(r.next_marker, p + "k009", "NextMarker")
    r2 = b.list_objects(prefix=p, max_keys=10, marker=r.next_marker)
    eq(r2.object_list[0].key, p + "k010", "resumes after marker")
    r3 = b.list_objects(prefix=p, max_keys=10, marker=r2.next_marker)
    eq(len(r3.object_list), 5, "last page")
    check(not r3.is_truncated, "last page not truncated")
    eq([o.key for o in oss2.ObjectIterator(b, prefix=p, max_keys=7)], [p + n for n in names], "iterator")


@test
def v2_paging_with_continuation_token_and_start_after(env):
    b, p = env.bucket(), unique("lst")
    names = ["k%03d" % i for i in range(12)]
    populate(b, p, names)
    r = b.list_objects_v2(prefix=p, max_keys=5)
    eq(r.key_count if hasattr(r, "key_count") else len(r.object_list), 5, "KeyCount")
    check(r.is_truncated and r.next_continuation_token, "token")
    r2 = b.list_objects_v2(prefix=p, max_keys=5, continuation_token=r.next_continuation_token)
    eq([o.key for o in r2.object_list], [p + n for n in names[5:10]], "second page")
    r3 = b.list_objects_v2(prefix=p, start_after=p + "k009")
    eq([o.key for o in r3.object_list], [p + "k010", p + "k011"], "start-after")
    expect_error(lambda: b.list_objects_v2(prefix=p, continuation_token="zz-not-a-token"), 400, "InvalidArgument")


@test
def delimiter_and_common_prefixes(env):
    b, p = env.bucket(), unique("lst")
    populate(b, p, ["a/1", "a/2", "a/b/3", "b/1", "c", "d/"])
    r = b.list_objects(prefix=p, delimiter="/")
    eq([o.key for o in r.object_list], [p + "c"], "objects at this level")
    eq(r.prefix_list, [p + "a/", p + "b/", p + "d/"], "common prefixes")
    r = b.list_objects(prefix=p + "a/", delimiter="/")
    eq([o.key for o in r.object_list], [p + "a/1", p + "a/2"], "objects under a/")
    eq(r.prefix_list, [p + "a/b/"], "nested prefix")
    r = b.list_objects_v2(prefix=p, delimiter="/", max_keys=2)
    eq(len(r.object_list) + len(r.prefix_list), 2, "common prefixes count toward max-keys")
    check(r.is_truncated, "truncated")
    r2 = b.list_objects_v2(prefix=p, delimiter="/", max_keys=2, continuation_token=r.next_continuation_token)
    eq(r2.prefix_list + [o.key for o in r2.object_list], [p + "d/", p + "c"], "rest after a prefix page")
    got = []
    marker = ""
    while True:
        page = b.list_objects(prefix=p, delimiter="/", max_keys=1, marker=marker)
        got += [o.key for o in page.object_list] + page.prefix_list
        if not page.is_truncated:
            break
        marker = page.next_marker
    eq(sorted(got), sorted([p + "a/", p + "b/", p + "c", p + "d/"]), "V1 one-per-page walk never repeats a prefix")


@test
def encoding_type_url(env):
    b, p = env.bucket(), unique("lst")
    populate(b, p, ["ctrl\x01key", "a b", "x/y"])
    r = raw(env, "GET", "", query="prefix=%s&encoding-type=url&delimiter=%%2F" % p.replace("/", "%2F"))
    eq(r.status_code, 200, "status")
    body = r.content.decode()
    check("<EncodingType>url</EncodingType>" in body, "EncodingType element")
    check("ctrl%01key" in body, "control byte encoded")
    check("a%20b" in body, "space encoded as %20")
    check("<Delimiter>%2F</Delimiter>" in body, "delimiter encoded")
    r = raw(env, "GET", "", query="prefix=" + p.replace("/", "%2F"))
    check("\x01".encode() in r.content or r.status_code == 200, "unencoded listing still answers")


@test
def max_keys_limits(env):
    b = env.bucket()
    expect_error(lambda: b.list_objects(max_keys=0), 400, "InvalidArgument")
    expect_error(lambda: b.list_objects(max_keys=1001), 400, "InvalidArgument")
    expect_error(lambda: b.list_objects_v2(max_keys=1001), 400, "InvalidArgument")
    r = raw(env, "GET", "", query="max-keys=abc")
    eq(r.status_code, 400, "non-numeric max-keys")


@test
def default_max_keys_is_100(env):
    b, p = env.bucket(), unique("lst")
    populate(b, p, ["k%03d" % i for i in range(105)])
    r = raw(env, "GET", "", query="prefix=" + p.replace("/", "%2F"))
    eq(r.content.count(b"<Contents>"), 100, "default page")
    check(b"<MaxKeys>100</MaxKeys>" in r.content, "MaxKeys")
    eq(len(b.list_objects(prefix=p, max_keys=1000).object_list), 105, "max-keys=1000")


@test
def listing_types_and_sizes(env):
    b, p = env.bucket(), unique("lst")
    b.put_object(p + "normal", b"12345")
    b.append_object(p + "append", 0, b"abc")
    b.put_symlink(p + "normal", p + "link")
    up = b.init_multipart_upload(p + "multi").upload_id
    b.complete_multipart_upload(p + "multi", up, [oss2.models.PartInfo(1, b.upload_part(p + "multi", up, 1, b"m").etag)])
    got = {o.key[len(p):]: (o.type, o.size) for o in oss2.ObjectIterator(b, prefix=p)}
    eq(got, {"normal": ("Normal", 5), "append": ("Appendable", 3), "link": ("Symlink", len((p + "normal").encode())),
             "multi": ("Multipart", 1)}, "types and sizes")


@test
def list_missing_bucket(env):
    expect_error(lambda: env.bucket(name="no-such-bucket-xyz").list_objects(), 404, "NoSuchBucket")


@test
def list_buckets_and_bucket_lifecycle(env):
    svc = env.service()
    names = [bk.name for bk in oss2.BucketIterator(svc)]
    check(env.bucket_name in names, "configured bucket listed")
    nb = env.bucket(name="conf-lifecycle")
    nb.create_bucket()
    nb.put_object("x", b"x")
    expect_error(lambda: nb.delete_bucket(), 409, "BucketNotEmpty")
    nb.delete_object("x")
    nb.delete_bucket()
    expect_error(lambda: nb.get_bucket_info(), 404, "NoSuchBucket")
    r = raw(env, "PUT", "", bucket="bad_name")
    eq(r.status_code, 400, "invalid bucket name")
    check(b"<Code>InvalidBucketName</Code>" in r.content, "InvalidBucketName")
    info = env.bucket().get_bucket_info()
    eq(info.location, "oss-cn-hangzhou", "location")
    eq(env.bucket().get_bucket_location().location, "oss-cn-hangzhou", "GetBucketLocation")
