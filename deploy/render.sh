#!/usr/bin/env bash
# Renders an overlay for `kubectl apply`, and refuses a rendering that still holds a placeholder.
#
#   deploy/render.sh <overlay | path to a kustomization> [> rendered.yaml]
#
# The rendering goes to stdout; problems go to stderr. Exit status: 0 = rendered and clean, 1 = a placeholder is left
# (each one is named, with the values.env key that fills it), 2 = usage or `kubectl kustomize` failed.
# A placeholder is a value of the form placeholder-<key> (overlays/*/values.env: placeholder-device-host is DEVICE_HOST),
# replace-me-... (deploy/infra's own placeholders, which the values replace), a host under the reserved .invalid
# domain, or an example.com/.org/.net name.
set -euo pipefail

if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
target=$1
if [[ ! -d $target && -d $here/overlays/$target ]]; then
  target=$here/overlays/$target
fi
if [[ ! -f $target/kustomization.yaml ]]; then
  echo "render.sh: no kustomization.yaml in $target (overlays: $(ls "$here/overlays" | tr '\n' ' '))" >&2
  exit 2
fi
kubectl=${KUBECTL:-kubectl}
if ! rendered=$("$kubectl" kustomize "$target"); then
  echo "render.sh: kubectl kustomize $target failed" >&2
  exit 2
fi

placeholders=$(printf '%s\n' "$rendered" | grep -oE 'placeholder-[a-z0-9-]*[a-z0-9]' | sort -u || true)
reserved=$(printf '%s\n' "$rendered" | sed -E 's/placeholder-[a-z0-9-]*[a-z0-9]//g' \
  | grep -oE 'replace-me-[a-z0-9-]*[a-z0-9]|[A-Za-z0-9.-]*[A-Za-z0-9]\.invalid\b|[A-Za-z0-9.-]*example\.(com|org|net)\b' \
  | sort -u || true)
if [[ -n $placeholders || -n $reserved ]]; then
  echo "render.sh: $target still has placeholders; fill them in its values.env (deploy/README.md, \"Values\"):" >&2
  for token in $placeholders; do
    key=$(printf '%s' "${token#placeholder-}" | tr 'a-z-' 'A-Z_')
    echo "  $key ($token)" >&2
  done
  for name in $reserved; do
    echo "  $name (a placeholder no value replaces, or a reserved example/.invalid name)" >&2
  done
  exit 1
fi
printf '%s\n' "$rendered"
