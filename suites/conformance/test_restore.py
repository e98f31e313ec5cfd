"""The restore rule of Archive, Cold Archive and Deep Cold Archive objects (docs/archive-objects.md):
GetObject refused with 403 InvalidObjectState until restored, directly and through a link; RestoreObject
202 / 409 RestoreAlreadyInProgress / 200; x-oss-restore on HEAD; the RestoreRequest body (Days,
JobParameters/Tier) as oss2 and alibabacloud-oss-v2 send it.

run.sh starts the shared server with --restore-delay 1, so restores there complete after a second: the
tests poll HEAD with a bounded wait. Assertions about a restore still running use a second server of
their own with --restore-delay 3600, so they never depend on how fast this machine is.
"""
import os
import re
import subprocess
import tempfile
import time
from contextlib import contextmanager

import oss2
import alibabacloud_oss_v2 as oss

from harness import test, unique, check, eq, expect_error

RESTORED = re.compile(r'^ongoing-request="false", expiry-date="([^"]+)"$')


def wait_restored(head, limit=60.0):
    """Polls head() (returns the x-oss-restore value) until the restore is done; returns the value."""
    deadline = time.time() + limit
    while True:
        value = head()
        if value and RESTORED.match(value):
            return value
        check(value == 'ongoing-request="true"', "x-oss-restore while restoring: %r" % value)
        if time.time() > deadline:
            raise AssertionError("restore not complete after %.0f s" % limit)
        time.sleep(0.2)


@contextmanager
def slow_server(env):
    """A second ossfuse-server whose restores take an hour, with the same credentials and bucket."""
    root = tempfile.mkdtemp()
    out = open(os.path.join(root, "out"), "w+")
    proc = subprocess.Popen([os.environ["OSS_TEST_SERVER"], "--root", os.path.join(root, "data"),
                             "--listen", "127.0.0.1:0", "--access-key-id", env.ak, "--access-key-secret", env.sk,
                             "--bucket", env.bucket_name, "--restore-delay", "3600"],
                            stdout=out, stderr=subprocess.DEVNULL)
    try:
        endpoint = None
        for _ in range(300):
            out.seek(0)
            m = re.search(r"^listening on (\S+)", out.read(), re.M)
            if m:
                endpoint = m.group(1)
                break
            check(proc.poll() is None, "second server exited")
            time.sleep(0.1)
        check(endpoint is not None, "second server did not start")
        yield oss2.Bucket(oss2.Auth(env.ak, env.sk), endpoint, env.bucket_name)
    finally:
        proc.terminate()
        proc.wait()
        out.close()


@test
def archive_object_and_link_refused_until_restored(env):
    b, p = env.bucket(), unique("arc")
    b.put_object(p + "cold", b"frozen bytes", headers={"x-oss-storage-class": "Archive"})
    b.put_object(p + "warm", b"warm bytes")
    b.put_symlink(p + "cold", p + "to-cold")
    b.put_symlink(p + "warm", p + "to-warm")
    h = b.head_object(p + "cold")
    eq(h.headers.get("x-oss-storage-class"), "Archive", "storage class on HEAD")
    eq(h.headers.get("x-oss-restore"), None, "no x-oss-restore before a restore")
    expect_error(lambda: b.get_object(p + "cold"), 403, "InvalidObjectState")
    expect_error(lambda: b.get_object(p + "to-cold"), 403, "InvalidObjectState")
    eq(b.get_object(p + "to-warm").read(), b"warm bytes", "link to a Standard object")
    eq(b.restore_object(p + "cold").status, 202, "first RestoreObject")
    wait_restored(lambda: b.head_object(p + "cold").headers.get("x-oss-restore"))
    eq(b.get_object(p + "cold").read(), b"frozen bytes", "restored object")
    eq(b.get_object(p + "to-cold").read(), b"frozen bytes", "restored object through the link")
    check(RESTORED.match(b.head_object(p + "to-cold").headers.get("x-oss-restore") or ""),
          "HEAD through the link shows the target's restore")
    eq(b.restore_object(p + "cold").status, 200, "RestoreObject of a restored object")
    eq(b.get_object(p + "to-warm").read(), b"warm bytes", "link to a Standard object, still")


@test
def restore_in_progress_answers_409_and_reads_stay_refused(env):
    with slow_server(env) as b:
        p = unique("arc")
        b.put_object(p + "cold", b"x", headers={"x-oss-storage-class": "ColdArchive"})
        b.put_symlink(p + "cold", p + "link")
        cfg = oss2.models.RestoreConfiguration(days=3, job_parameters=oss2.models.RestoreJobParameters(
            oss2.models.RESTORE_TIER_BULK))
        eq(b.restore_object(p + "cold", input=cfg).status, 202, "first RestoreObject")
        eq(b.head_object(p + "cold").headers.get("x-oss-restore"), 'ongoing-request="true"', "x-oss-restore")
        eq(b.head_object(p + "link").headers.get("x-oss-restore"), 'ongoing-request="true"', "through the link")
        expect_error(lambda: b.restore_object(p + "cold", input=cfg), 409, "RestoreAlreadyInProgress")
        expect_error(lambda: b.get_object(p + "cold"), 403, "InvalidObjectState")
        expect_error(lambda: b.get_object(p + "link"), 403, "InvalidObjectState")
        # A new object under the key is frozen again: the restore belonged to the old one.
        b.put_object(p + "cold", b"y", headers={"x-oss-storage-class": "Archive"})
        eq(b.head_object(p + "cold").headers.get("x-oss-restore"), None, "replaced object is frozen")


@test
def cold_archive_restore_with_tier_through_v2(env):
    c, p = env.v2(), unique("arc")
    c.put_object(oss.PutObjectRequest(bucket=env.bucket_name, key=p + "deep", body=b"deep data",
                                      storage_class="DeepColdArchive"))
    c.put_object(oss.PutObjectRequest(bucket=env.bucket_name, key=p + "cold", body=b"cold data",
                                      storage_class="ColdArchive"))
    eq(c.head_object(oss.HeadObjectRequest(bucket=env.bucket_name, key=p + "deep")).storage_class,
       "DeepColdArchive", "storage class")
    expect_error(lambda: c.restore_object(oss.RestoreObjectRequest(
        bucket=env.bucket_name, key=p + "deep",
        restore_request=oss.RestoreRequest(days=2, job_parameters=oss.JobParameters(tier="Bulk")))),
        400, "InvalidArgument")
    r = c.restore_object(oss.RestoreObjectRequest(
        bucket=env.bucket_name, key=p + "cold",
        restore_request=oss.RestoreRequest(days=2, job_parameters=oss.JobParameters(tier="Expedited"))))
    eq(r.status_code, 202, "RestoreObject status")
    eq(r.restore_priority, "Expedited", "x-oss-object-restore-priority")
    value = wait_restored(lambda: c.head_object(oss.HeadObjectRequest(bucket=env.bucket_name, key=p + "cold")).restore)
    expiry = oss2.utils.http_to_unixtime(RESTORED.match(value).group(1))
    check(time.time() + 86400 < expiry <= time.time() + 2 * 86400 + 60, "expiry about 2 days out: %s" % value)
    got = c.get_object(oss.GetObjectRequest(bucket=env.bucket_name, key=p + "cold"))
    eq(got.body.read(), b"cold data", "restored Cold Archive object")


@test
def restore_errors(env):
    b, p = env.bucket(), unique("arc")
    b.put_object(p + "std", b"s")
    b.put_object(p + "ia", b"i", headers={"x-oss-storage-class": "IA"})
    b.put_object(p + "arc", b"a", headers={"x-oss-storage-class": "Archive"})
    expect_error(lambda: b.restore_object(p + "std"), 400, "OperationNotSupported")
    expect_error(lambda: b.restore_object(p + "ia"), 400, "OperationNotSupported")
    expect_error(lambda: b.restore_object(p + "missing"), 404, "NoSuchKey")
    expect_error(lambda: b.restore_object(p + "arc", input=oss2.models.RestoreConfiguration(days=8)),
                 400, "InvalidArgument")
    eq(b.get_object(p + "ia").read(), b"i", "IA objects need no restore")


@test
def storage_class_honoured_on_copy_and_multipart(env):
    b, p = env.bucket(), unique("arc")
    b.put_object(p + "src", b"source")
    b.copy_object(env.bucket_name, p + "src", p + "copy", headers={"x-oss-storage-class": "Archive"})
    eq(b.head_object(p + "copy").headers.get("x-oss-storage-class"), "Archive", "copy's class")
    expect_error(lambda: b.get_object(p + "copy"), 403, "InvalidObjectState")
    upload = b.init_multipart_upload(p + "mp", headers={"x-oss-storage-class": "ColdArchive"}).upload_id
    part = b.upload_part(p + "mp", upload, 1, b"part")
    b.complete_multipart_upload(p + "mp", upload, [oss2.models.PartInfo(1, part.etag)])
    expect_error(lambda: b.get_object(p + "mp"), 403, "InvalidObjectState")
    eq(b.get_object(p + "src").read(), b"source", "source untouched")
