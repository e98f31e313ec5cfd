#ifndef OSSFUSE_CMALLOC_SHIM_H
#define OSSFUSE_CMALLOC_SHIM_H
// Only malloc_trim (glibc): Swift's Glibc module does not include <malloc.h>.
#include <malloc.h>
#endif
