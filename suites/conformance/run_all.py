"""Runs every conformance module against the server named by OSS_TEST_* variables.

Usage: python run_all.py [substring ...]   (only tests whose module.name contains a substring)
Exits non-zero when any test fails.
"""
import sys

import harness
import test_signing  # noqa: F401  (registers tests)
import test_symlinks  # noqa: F401
import test_acl  # noqa: F401
import test_listing  # noqa: F401
import test_ranges  # noqa: F401
import test_multipart  # noqa: F401
import test_copy_append  # noqa: F401
import test_errors  # noqa: F401
import test_restore  # noqa: F401

if __name__ == "__main__":
    failures = harness.run(harness.Env(), sys.argv[1:] or None)
    sys.exit(1 if failures else 0)
