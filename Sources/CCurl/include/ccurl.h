#ifndef OSSFUSE_CCURL_H
#define OSSFUSE_CCURL_H
// Typed, non-variadic wrappers around libcurl's variadic setopt/getinfo (Swift cannot call C varargs).
#include <curl/curl.h>
#include <sys/types.h>

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_ptr(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_easy_setopt_write_cb(CURL *handle, CURLoption option,
                                    size_t (*cb)(char *, size_t, size_t, void *));
CURLcode ccurl_easy_setopt_xferinfo_cb(CURL *handle,
                                       int (*cb)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t));
CURLcode ccurl_easy_setopt_seek_cb(CURL *handle, int (*cb)(void *, curl_off_t, int));
CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_easy_getinfo_ptr(CURL *handle, CURLINFO info, void **value);
CURLcode ccurl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode ccurl_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value);
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
/* curl_global_init(CURL_GLOBAL_ALL) exactly once per process (thread-safe). */
CURLcode ccurl_global_init_once(void);
/* For a CURLMSG_DONE message: the finished easy handle and its result (reads the C union). */
CURL *ccurl_msg_easy(const CURLMsg *msg);
int ccurl_msg_is_done(const CURLMsg *msg);
CURLcode ccurl_msg_result(const CURLMsg *msg);

#endif
