#ifndef OSSFUSE_CCRYPTO_SHIM_H
#define OSSFUSE_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#endif
