"""Scenario 5: hostile input to ossfuse-server. Batches of malformed and hostile requests, each
judged by its OSS error code (or a closed connection for unparseable HTTP); after every batch the
server must still serve; no file may appear outside --root; anonymous access only where ACLs
allow, including the symlink least-privilege rule for every link ACL x target ACL."""
import os

import hostile_auth, hostile_flood, hostile_objects, hostile_proto, hostile_xml
from harness import Server
from probe import Probe, err, ok, pred, new_rng

ACLS = ["private", "public-read", "default"]   # bucket is private, so "default" means private
WATCHED = ["/tmp", "/var/tmp", "/", os.getcwd()]


def snapshot(paths, exclude):
    """Every path under the given trees, except those under `exclude`."""
    seen = set()
    for top in paths:
        for dirpath, dirnames, filenames in os.walk(top):
            if dirpath.startswith(exclude):
                dirnames[:] = []
                continue
            for n in dirnames + filenames:
                seen.add(os.path.join(dirpath, n))
    return seen


def marked(paths):
    """Entries named like a hostile key in the shared directories (those change under other
    users, so only names carrying our marker count)."""
    out = set()
    for top in paths:
        try:
            out |= {os.path.join(top, n) for n in os.listdir(top) if "zzhostile" in n}
        except OSError:
            pass
    return out


def run(ctx, fig):
    reps = 24 if ctx.heavy else 6
    server = Server(ctx, "s5-hostile").start()
    own = os.path.dirname(server.root)            # parent of --root: holds the server's cwd/TMPDIR and logs
    before, before_marked = snapshot([own], server.root), marked(WATCHED)
    rng = new_rng(ctx.seed + 5)
    probe = Probe(fig, server, rng)
    batches = [("authentication", hostile_auth.run), ("HTTP framing", hostile_proto.run),
               ("object requests", hostile_objects.run), ("XML bodies", hostile_xml.run),
               ("concurrent and stalled clients", hostile_flood.run),
               ("anonymous ACLs", lambda p, r: acl_matrix(p))]
    for name, batch in batches:
        print(f"  batch: {name}", flush=True)
        try:
            batch(probe, reps)
        except (OSError, ValueError) as e:   # a refused connection etc.: judged below by health
            fig.fail(f"batch {name} stopped: {e!r}")
        after_batch(ctx, fig, server, name)
    server.stop()
    code, out = server.check_index()
    fig.check(code == 0, f"ossfuse-server --check failed after the hostile requests (exit {code}): {out[-500:]}")
    new = snapshot([own], server.root) - before
    new = {p for p in new if not os.path.basename(p).startswith("server-")}   # our own logs
    fig.check(not new, f"files appeared outside --root: {sorted(new)[:10]}")
    leaked = marked(WATCHED) - before_marked
    fig.check(not leaked, f"hostile keys became files outside --root: {sorted(leaked)[:10]}")


def after_batch(ctx, fig, server, name):
    healthy = server.health()
    if server.crashed():
        fig.add("crashes")
        fig.fail(f"ossfuse-server died during batch {name} (exit {server.proc.returncode}); restarting")
        server.start()
    elif not healthy:
        fig.fail(f"ossfuse-server alive but not serving after batch {name}")
    else:
        fig.add("ops")


def acl_matrix(p):
    """Anonymous reads of objects and through links, for every ACL pair; the bucket is private."""
    body = {}
    targets = {}
    for t in ACLS:
        key = p.key(f"acl-target-{t}")
        body[t] = f"body of {key}".encode()
        p.send("PUT target with ACL", "PUT", key, [ok(200)], body=body[t], headers={"x-oss-object-acl": t}, setup=True)
        targets[t] = key
        allowed = t == "public-read"
        p.send(f"anonymous GET of a {t} object", "GET", key,
               [pred("200 with the object", lambda a, b=body[t]: a.status == 200 and a.body == b)] if allowed
               else [err(403, "AccessDenied")], auth="none")
        p.send(f"anonymous HEAD of a {t} object", "HEAD", key,
               [ok(200)] if allowed else [err(403, "AccessDenied")], auth="none")
        p.send(f"anonymous PUT over a {t} object", "PUT", key, [err(403, "AccessDenied")], auth="none",
               body=b"overwritten")
        p.send(f"anonymous DELETE of a {t} object", "DELETE", key, [err(403, "AccessDenied")], auth="none")
        p.fig.check(p.get_body(key) == body[t], f"anonymous write changed the {t} object")
    for link_acl in ACLS:
        for t in ACLS:
            link = p.key(f"acl-link-{link_acl}-to-{t}")
            p.send("PutSymlink with ACL", "PUT", link, [ok(200)], query=[("symlink", "")],
                   headers={"x-oss-symlink-target": targets[t], "x-oss-object-acl": link_acl}, setup=True)
            allowed = link_acl == "public-read" and t == "public-read"
            p.send(f"anonymous GET through a {link_acl} link to a {t} target", "GET", link,
                   [pred("200 with the target's bytes", lambda a, b=body[t]: a.status == 200 and a.body == b)]
                   if allowed else [err(403, "AccessDenied")], auth="none")
            p.send(f"anonymous HEAD through a {link_acl} link to a {t} target", "HEAD", link,
                   [ok(200)] if allowed else [err(403, "AccessDenied")], auth="none")
            # GetSymlink needs read permission on the link only.
            p.send(f"anonymous GetSymlink of a {link_acl} link", "GET", link,
                   [ok(200)] if link_acl == "public-read" else [err(403, "AccessDenied")],
                   query=[("symlink", "")], auth="none")
            p.send("signed GET through the link (owner)", "GET", link,
                   [pred("200 with the target's bytes", lambda a, b=body[t]: a.status == 200 and a.body == b)], setup=True)
    # Changing ACLs afterwards (PutObjectACL) is honoured at once.
    key = targets["private"]
    p.send("PutObjectACL public-read", "PUT", key, [ok(200)], query=[("acl", "")],
           headers={"x-oss-object-acl": "public-read"}, setup=True)
    p.send("anonymous GET after PutObjectACL public-read", "GET", key, [ok(200)], auth="none")
    p.send("PutObjectACL private", "PUT", key, [ok(200)], query=[("acl", "")], headers={"x-oss-object-acl": "private"}, setup=True)
    p.send("anonymous GET after PutObjectACL private", "GET", key, [err(403, "AccessDenied")], auth="none")
    p.send("anonymous ListObjects of a private bucket", "GET", "", [err(403, "AccessDenied")], auth="none")
