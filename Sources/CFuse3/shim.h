#ifndef OSSFUSE_CFUSE3_SHIM_H
#define OSSFUSE_CFUSE3_SHIM_H
// FUSE_USE_VERSION must be set before the header; 312 exposes fuse_loop_cfg_* (libfuse >= 3.12).
#define FUSE_USE_VERSION 312
#include <fuse3/fuse_lowlevel.h>
#include <fuse3/fuse_opt.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <errno.h>
#include <fcntl.h>
#endif
