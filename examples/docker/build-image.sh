#!/bin/sh
# Builds the example's image from this machine's busybox, with no registry at all: a root
# filesystem holding one static busybox binary, imported into the engine.
#   sh examples/docker/build-image.sh            (IMAGE=name:tag to choose another name)
set -eu
IMAGE="${IMAGE:-micronetes-example/busybox:1}"

busybox="$(command -v busybox || true)"
if [ -z "$busybox" ]; then
  echo "no busybox on PATH: install it first (Debian/Ubuntu: apt-get install busybox-static)" >&2
  exit 1
fi
if ldd "$busybox" >/dev/null 2>&1; then
  echo "$busybox is dynamically linked and cannot run alone in an image: install busybox-static" >&2
  exit 1
fi

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/tmp"
cp "$busybox" "$rootfs/bin/busybox"
for applet in sh httpd echo printf env cat ls sleep wget; do
  ln -s busybox "$rootfs/bin/$applet"
done
tar -C "$rootfs" -c . | docker import -c 'ENV PATH=/bin' - "$IMAGE"
echo "built $IMAGE"
