#ifndef OSSFUSE_CLZMA_SHIM_H
#define OSSFUSE_CLZMA_SHIM_H
// Only lzma_crc64: CRC-64/XZ, the checksum OSS reports as x-oss-hash-crc64ecma. liblzma's
// implementation uses carry-less multiplication where the CPU has it (several GB/s).
#include <lzma.h>
#endif
