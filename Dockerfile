# ossfuse in a container: a FUSE client image for a Kubernetes sidecar, a CSI fuse pod or a Fluid
# ThinRuntime (see README "Running under Kubernetes" and deploy/).
#
#   docker build -t ossfuse .
#
# Checked on every test run by scripts/check-deploy (no Docker there): each RUN below is
# syntax-checked, every apt package is looked up, and the paths COPY names exist.

# ---- build: the Swift toolchain on Debian 12 (the toolchain tested is Swift 6.3.1 on Debian 12;
# pass --build-arg SWIFT_IMAGE=... for another tag)
ARG SWIFT_IMAGE=swift:6.3-bookworm
FROM ${SWIFT_IMAGE} AS build
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends libfuse3-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev liblzma-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY man ./man
# The Swift runtime is linked in: the run stage needs no Swift libraries.
RUN swift build -c release --static-swift-stdlib --product ossfuse \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/ossfuse" /out/usr/local/bin/ossfuse \
    && install -D -m 0644 man/ossfuse.1 /out/usr/local/share/man/man1/ossfuse.1

# ---- run: Debian 12 slim with libfuse3 (fusermount3 for a mount made here), libcurl, CAs
FROM debian:12-slim
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends libfuse3-3 fuse3 ca-certificates libcurl4 libxml2 \
    && rm -rf /var/lib/apt/lists/* \
    && sed -i 's/^#\s*user_allow_other/user_allow_other/' /etc/fuse.conf \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/ossfuse --create-home ossfuse
COPY --from=build /out/ /
# Non-root by default: enough for a mount handed in as /dev/fd/N (CSI, Fluid) and for
# `-o metrics`. A container that mounts by itself (the sidecar example) runs as root with
# CAP_SYS_ADMIN and /dev/fuse instead (runAsUser: 0 in its securityContext).
USER 10001:10001
ENV TMPDIR=/var/lib/ossfuse
WORKDIR /var/lib/ossfuse
ENTRYPOINT ["/usr/local/bin/ossfuse", "-f"]
CMD ["--help"]
