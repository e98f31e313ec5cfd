"""ACL least privilege: anonymous reads through a link need read access to both link and target
(oss-protocol.md 1.4), for every link ACL x target ACL x bucket ACL combination."""
import oss2

from harness import test, unique, check, eq, expect_error

ACLS = ["private", "public-read", "default"]


def readable(acl, bucket_acl):
    effective = bucket_acl if acl == "default" else acl
    return effective in ("public-read", "public-read-write")


def matrix(env, bucket_name, bucket_acl):
    owner = env.bucket(name=bucket_name)
    anon = env.anonymous(name=bucket_name)
    p = unique("acl")
    for link_acl in ACLS:
        for target_acl in ACLS:
            target = p + "t-%s-%s" % (link_acl, target_acl)
            link = p + "l-%s-%s" % (link_acl, target_acl)
            owner.put_object(target, b"secret", headers={"x-oss-object-acl": target_acl})
            owner.put_symlink(target, link, headers={"x-oss-object-acl": link_acl})
            allowed = readable(link_acl, bucket_acl) and readable(target_acl, bucket_acl)
            what = "bucket %s, link %s, target %s" % (bucket_acl, link_acl, target_acl)
            if allowed:
                eq(anon.get_object(link).read(), b"secret", what + ": GET through link")
                eq(anon.head_object(link).content_length, 6, what + ": HEAD through link")
            else:
                expect_error(lambda: anon.get_object(link), 403, "AccessDenied")
                expect_error(lambda: anon.head_object(link), 403)
            eq(owner.get_object(link).read(), b"secret", what + ": owner always reads")
            if readable(link_acl, bucket_acl):
                eq(anon.get_symlink(link).target_key, target, what + ": GetSymlink needs only the link")
            else:
                expect_error(lambda: anon.get_symlink(link), 403, "AccessDenied")


@test
def anonymous_read_through_link_private_bucket(env):
    matrix(env, env.bucket_name, "private")


@test
def anonymous_read_through_link_public_read_bucket(env):
    name = "conf-public"
    svc = env.bucket(name=name)
    svc.create_bucket(oss2.BUCKET_ACL_PUBLIC_READ)
    eq(svc.get_bucket_acl().acl, "public-read", "bucket ACL")
    matrix(env, name, "public-read")


@test
def default_bucket_acl_is_private(env):
    b = env.bucket(name="conf-default-acl")
    b.create_bucket()
    eq(b.get_bucket_acl().acl, "private", "new bucket ACL")
    b.put_object("x", b"x")
    expect_error(lambda: env.anonymous(name="conf-default-acl").get_object("x"), 403, "AccessDenied")
    expect_error(lambda: env.anonymous(name="conf-default-acl").list_objects(), 403, "AccessDenied")


@test
def anonymous_writes_need_public_read_write(env):
    p = unique("acl")
    owner = env.bucket()
    anon = env.anonymous()
    expect_error(lambda: anon.put_object(p + "x", b"x"), 403, "AccessDenied")
    owner.put_object(p + "rw", b"x", headers={"x-oss-object-acl": "public-read-write"})
    anon.put_object(p + "rw", b"y")
    eq(owner.get_object(p + "rw").read(), b"y", "anonymous overwrite of a public-read-write object")
    expect_error(lambda: anon.get_object_acl(p + "rw"), 403, "AccessDenied")
    expect_error(lambda: anon.put_object_acl(p + "rw", "private"), 403, "AccessDenied")


@test
def object_acl_overrides_bucket_acl(env):
    name = "conf-public"
    owner = env.bucket(name=name)
    owner.create_bucket(oss2.BUCKET_ACL_PUBLIC_READ)
    p = unique("acl")
    owner.put_object(p + "private", b"x", headers={"x-oss-object-acl": "private"})
    owner.put_object(p + "inherit", b"y")
    expect_error(lambda: env.anonymous(name=name).get_object(p + "private"), 403, "AccessDenied")
    eq(env.anonymous(name=name).get_object(p + "inherit").read(), b"y", "default inherits public-read")
    check(any(o.key == p + "inherit" for o in oss2.ObjectIterator(env.anonymous(name=name), prefix=p)),
          "anonymous listing of a public-read bucket")
