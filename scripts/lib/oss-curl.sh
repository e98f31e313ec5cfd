# Signed OSS requests with plain curl + openssl (V1 header signing), for scripts that seed demo
# data and for the benchmarks' raw-curl baseline. Source this file; needs OSS_ENDPOINT (http://host:port),
# OSS_BUCKET, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET. Keys must not need percent-encoding.

# oss_sign VERB CONTENT_TYPE DATE OSS_HEADERS RESOURCE -> prints the Authorization value.
oss_sign() {
    local sts
    sts=$(printf '%s\n\n%s\n%s\n%s%s' "$1" "$2" "$3" "$4" "$5")
    printf 'OSS %s:%s' "$OSS_ACCESS_KEY_ID" \
        "$(printf '%s' "$sts" | openssl dgst -sha1 -hmac "$OSS_ACCESS_KEY_SECRET" -binary | base64)"
}

oss_date() { LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S GMT'; }

# oss_put KEY FILE [extra curl args...]: PutObject from a file.
oss_put() {
    local key=$1 file=$2; shift 2
    local d; d=$(oss_date)
    # --data-binary, not -T: -T appends the file name to a URL ending in "/" (directory markers).
    curl -sf -X PUT --data-binary @"$file" -H "Date: $d" -H "Content-Type: application/octet-stream" \
        -H "Authorization: $(oss_sign PUT application/octet-stream "$d" "" "/$OSS_BUCKET/$key")" \
        "$@" "$OSS_ENDPOINT/$OSS_BUCKET/$key" >/dev/null
}

# oss_get KEY OUTFILE [extra curl args...]: GetObject into a file.
oss_get() {
    local key=$1 out=$2; shift 2
    local d; d=$(oss_date)
    curl -sf -H "Date: $d" -H "Authorization: $(oss_sign GET "" "$d" "" "/$OSS_BUCKET/$key")" \
        -o "$out" "$@" "$OSS_ENDPOINT/$OSS_BUCKET/$key"
}

# oss_symlink LINK_KEY TARGET_KEY: PutSymlink (a native OSS link, as the console or an SDK makes it).
oss_symlink() {
    local key=$1 target=$2
    local d; d=$(oss_date)
    curl -sf -X PUT -H "Date: $d" -H "x-oss-symlink-target: $target" \
        -H "Authorization: $(oss_sign PUT "" "$d" "x-oss-symlink-target:$target"$'\n' "/$OSS_BUCKET/$key?symlink")" \
        "$OSS_ENDPOINT/$OSS_BUCKET/$key?symlink" >/dev/null
}

# oss_stats: the server's per-operation request counters (JSON).
oss_stats() { curl -sf "$OSS_ENDPOINT/_ossfuse/stats"; }
oss_stats_reset() { curl -sf -X POST "$OSS_ENDPOINT/_ossfuse/stats/reset" >/dev/null; }
