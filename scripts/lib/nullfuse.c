/*
 * nullfuse: a FUSE file system that stores nothing, for scripts/bench.
 *
 * It measures what FUSE itself costs on a machine, with no storage, network or language runtime
 * behind it: the kernel's request round trips and copies into and out of the page cache. One
 * file, `data`, reads as SIZE bytes served from one static buffer; writes to it are accepted and
 * discarded. The connection is set up as ossfuse sets up its own (1 MiB reads and writes, no
 * splice, no writeback cache, page cache for readable opens, direct I/O for write-only opens), so
 * `dd` through it is the best any FUSE file system could do here with the same settings.
 *
 * Build: cc -O2 -o nullfuse nullfuse.c $(pkg-config --cflags --libs fuse3)
 * Usage: nullfuse SIZE MOUNTPOINT   (stays in the foreground; unmount with fusermount3 -u)
 */
#define FUSE_USE_VERSION 34
#include <fuse_lowlevel.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TRANSFER (1 << 20)
#define DATA_INO 2

static off_t file_size;
static char *block;

static void fill_attr(fuse_ino_t ino, struct stat *st) {
    memset(st, 0, sizeof *st);
    st->st_ino = ino;
    if (ino == FUSE_ROOT_ID) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
    } else {
        st->st_mode = S_IFREG | 0644;
        st->st_nlink = 1;
        st->st_size = file_size;
    }
}

static void nf_init(void *userdata, struct fuse_conn_info *conn) {
    (void)userdata;
    conn->max_readahead = TRANSFER;
    conn->max_read = TRANSFER;
    conn->max_write = TRANSFER;
    conn->want &= ~(FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE | FUSE_CAP_WRITEBACK_CACHE);
    if (conn->capable & FUSE_CAP_ASYNC_READ) conn->want |= FUSE_CAP_ASYNC_READ;
}

static void nf_lookup(fuse_req_t req, fuse_ino_t parent, const char *name) {
    struct fuse_entry_param e;
    if (parent != FUSE_ROOT_ID || strcmp(name, "data") != 0) {
        fuse_reply_err(req, ENOENT);
        return;
    }
    memset(&e, 0, sizeof e);
    e.ino = DATA_INO;
    e.attr_timeout = e.entry_timeout = 60;
    fill_attr(DATA_INO, &e.attr);
    fuse_reply_entry(req, &e);
}

static void nf_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
    struct stat st;
    (void)fi;
    if (ino != FUSE_ROOT_ID && ino != DATA_INO) {
        fuse_reply_err(req, ENOENT);
        return;
    }
    fill_attr(ino, &st);
    fuse_reply_attr(req, &st, 60);
}

/* O_TRUNC arrives as a size change; the size stays what it is: nothing is stored. */
static void nf_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set, struct fuse_file_info *fi) {
    (void)attr; (void)to_set;
    nf_getattr(req, ino, fi);
}

static void nf_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
    if (ino != DATA_INO) {
        fuse_reply_err(req, EISDIR);
        return;
    }
    fi->direct_io = (fi->flags & O_ACCMODE) == O_WRONLY;
    fi->keep_cache = 0;
    fuse_reply_open(req, fi);
}

static void nf_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
    (void)ino; (void)fi;
    if (off >= file_size) size = 0;
    else if ((off_t)size > file_size - off) size = (size_t)(file_size - off);
    if (size > TRANSFER) size = TRANSFER;
    fuse_reply_buf(req, block, size);
}

static void nf_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
    (void)ino; (void)buf; (void)off; (void)fi;
    fuse_reply_write(req, size);
}

static const struct fuse_lowlevel_ops operations = {
    .init = nf_init, .lookup = nf_lookup, .getattr = nf_getattr, .setattr = nf_setattr,
    .open = nf_open, .read = nf_read, .write = nf_write,
};

int main(int argc, char **argv) {
    if (argc != 3 || (file_size = strtoll(argv[1], NULL, 10)) <= 0) {
        fprintf(stderr, "usage: %s SIZE MOUNTPOINT\n", argv[0]);
        return 2;
    }
    block = aligned_alloc(4096, TRANSFER);
    if (!block) return 1;
    memset(block, 'n', TRANSFER);
    char *fuse_argv[] = { argv[0], "-o", "max_read=1048576", NULL };
    struct fuse_args args = FUSE_ARGS_INIT(3, fuse_argv);
    struct fuse_session *se = fuse_session_new(&args, &operations, sizeof operations, NULL);
    if (!se) return 1;
    if (fuse_set_signal_handlers(se) != 0 || fuse_session_mount(se, argv[2]) != 0) {
        fuse_session_destroy(se);
        return 1;
    }
    struct fuse_loop_config *config = fuse_loop_cfg_create();
    int rc = fuse_session_loop_mt(se, config);
    fuse_loop_cfg_destroy(config);
    fuse_session_unmount(se);
    fuse_remove_signal_handlers(se);
    fuse_session_destroy(se);
    return rc == 0 ? 0 : 1;
}
