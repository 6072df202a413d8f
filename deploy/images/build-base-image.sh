#!/usr/bin/env bash
# Builds the JVM base image of the Updraft service images from Debian packages alone — no registry, no Docker:
# `debootstrap --variant=minbase` + openjdk-17-jre-headless, one layer, written as a `docker save` tarball that Jib
# takes as `tar://<file>`. The result is cached outside any target/ directory, so a machine builds it once.
#
#   deploy/images/build-base-image.sh [output.tar]     default: ~/.cache/updraft/base-images/<name>.tar
#
# Needs root (debootstrap chroots) and the Debian package `debootstrap`; reaches only the Debian mirror.
set -euo pipefail

suite=${UPDRAFT_BASE_SUITE:-bookworm}
mirror=${UPDRAFT_BASE_MIRROR:-http://deb.debian.org/debian}
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
name="debian-${suite}-openjdk17-jre-${arch}-v1"
out=${1:-${UPDRAFT_CACHE:-$HOME/.cache/updraft}/base-images/${name}.tar}

if [ -s "$out" ]; then
  echo "base image already built: $out"
  exit 0
fi
command -v debootstrap >/dev/null || {
  echo "ERROR: building the base image needs the Debian package 'debootstrap' (apt-get install debootstrap)" >&2
  exit 2
}
[ "$(id -u)" = 0 ] || { echo "ERROR: debootstrap needs root to build the base image" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/updraft-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
echo "== debootstrap --variant=minbase $suite ($arch) + openjdk-17-jre-headless into $rootfs"
debootstrap --variant=minbase --arch="$arch" --include=openjdk-17-jre-headless,ca-certificates \
  "$suite" "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 || {
  tail -30 "$work/debootstrap.log" >&2
  echo "ERROR: debootstrap failed (log above)" >&2
  exit 1
}

# Runtime user of the services: numeric, so Kubernetes can verify runAsNonRoot; group 0 lets a random UID (OpenShift)
# read what the image ships.
echo 'updraft:x:10001:0:Updraft service:/work:/usr/sbin/nologin' >> "$rootfs/etc/passwd"
mkdir -p "$rootfs/work" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"

# Nothing a running JVM needs: package caches and lists, docs, man pages, logs, device nodes (the runtime mounts /dev).
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/* "$rootfs"/var/cache/debconf/*-old \
  "$rootfs"/dev/* "$rootfs"/proc/* "$rootfs"/sys/* "$rootfs"/run/*

# Absolute symlinks point into the rootfs, so follow the alternatives link by hand (no chroot: no /proc there).
java_bin=$(readlink "$rootfs/etc/alternatives/java")
java_home=${java_bin%/bin/java}
[ -x "$rootfs$java_bin" ] || { echo "ERROR: no java in the base image ($java_bin)" >&2; exit 1; }
java_version="openjdk-17-jre-headless $(chroot "$rootfs" dpkg-query -W -f='${Version}' openjdk-17-jre-headless)"
echo "== $java_version at $java_home"

echo "== packing one layer"
tar --numeric-owner --sort=name --mtime=@0 --xattrs --one-file-system -C "$rootfs" -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
gzip -1 -n "$work/layer.tar"

image="$work/image"
mkdir -p "$image/$diff_id"
mv "$work/layer.tar.gz" "$image/$diff_id/layer.tar.gz"
cat > "$image/config.json" <<JSON
{"architecture":"$arch","os":"linux",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"],
           "Labels":{"org.opencontainers.image.title":"$name","org.opencontainers.image.description":"Debian $suite minbase + openjdk-17-jre-headless ($java_version)"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates $suite"}]}
JSON
config_id=$(sha256sum "$image/config.json" | cut -d' ' -f1)
mv "$image/config.json" "$image/$config_id.json"
cat > "$image/manifest.json" <<JSON
[{"Config":"$config_id.json","RepoTags":["updraft/base-jre:17-$suite"],"Layers":["$diff_id/layer.tar.gz"]}]
JSON

mkdir -p "$(dirname "$out")"
tar --numeric-owner --mtime=@0 -C "$image" -cf "$out.partial" manifest.json "$config_id.json" "$diff_id"
mv "$out.partial" "$out"
echo "== base image: $out ($(du -h "$out" | cut -f1))"
