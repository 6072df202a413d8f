#!/usr/bin/env bash
# Re-extracts every vendored schema, verbatim, from git checkouts (or bare mirrors) of the pinned upstream tags, and
# rewrites SOURCES.md with each file's upstream repository, tag, path and sha256.
#
#   deploy/vendor/update.sh [MIRRORS]
#
# MIRRORS holds one git directory per upstream repository, named <owner>+<name>/repo (a bare clone or a clone's
# .git directory; default /work/.mirror). Fetch them with e.g.
#   git clone --bare https://github.com/strimzi/strimzi-kafka-operator "$MIRRORS/strimzi+strimzi-kafka-operator/repo"
# Nothing is edited: each file is `git show <tag>:<path>` (the Kubernetes definitions are gzipped, gzip -n, because
# the uncompressed file is 3.8 MB; the sha256 in SOURCES.md is of the uncompressed upstream file).
set -euo pipefail
MIRRORS=${1:-/work/.mirror}
HERE=$(cd "$(dirname "$0")" && pwd)

# folder | repository | tag | path in the repository (a line per file)
FILES=$(cat <<'LIST'
strimzi-1.2.0|strimzi/strimzi-kafka-operator|1.2.0|packaging/install/cluster-operator/040-Crd-kafka.yaml
strimzi-1.2.0|strimzi/strimzi-kafka-operator|1.2.0|packaging/install/cluster-operator/043-Crd-kafkatopic.yaml
strimzi-1.2.0|strimzi/strimzi-kafka-operator|1.2.0|packaging/install/cluster-operator/044-Crd-kafkauser.yaml
strimzi-1.2.0|strimzi/strimzi-kafka-operator|1.2.0|packaging/install/cluster-operator/045-Crd-kafkanodepool.yaml
strimzi-1.2.0|strimzi/strimzi-kafka-operator|1.2.0|kafka-versions.yaml
cloudnative-pg-1.30.0|cloudnative-pg/cloudnative-pg|v1.30.0|config/crd/bases/postgresql.cnpg.io_clusters.yaml
cloudnative-pg-1.30.0|cloudnative-pg/cloudnative-pg|v1.30.0|config/crd/bases/postgresql.cnpg.io_databases.yaml
cloudnative-pg-1.30.0|cloudnative-pg/cloudnative-pg|v1.30.0|config/crd/bases/postgresql.cnpg.io_scheduledbackups.yaml
cloudnative-pg-1.30.0|cloudnative-pg/cloudnative-pg|v1.30.0|config/crd/bases/postgresql.cnpg.io_backups.yaml
cloudnative-pg-1.30.0|cloudnative-pg/cloudnative-pg|v1.30.0|config/crd/bases/postgresql.cnpg.io_poolers.yaml
plugin-barman-cloud-0.14.0|cloudnative-pg/plugin-barman-cloud|v0.14.0|config/crd/bases/barmancloud.cnpg.io_objectstores.yaml
gateway-api-1.6.1|kubernetes-sigs/gateway-api|v1.6.1|config/crd/standard/gateway.networking.k8s.io_gatewayclasses.yaml
gateway-api-1.6.1|kubernetes-sigs/gateway-api|v1.6.1|config/crd/standard/gateway.networking.k8s.io_gateways.yaml
gateway-api-1.6.1|kubernetes-sigs/gateway-api|v1.6.1|config/crd/standard/gateway.networking.k8s.io_httproutes.yaml
gateway-api-1.6.1|kubernetes-sigs/gateway-api|v1.6.1|config/crd/standard/gateway.networking.k8s.io_grpcroutes.yaml
gateway-api-1.6.1|kubernetes-sigs/gateway-api|v1.6.1|config/crd/standard/gateway.networking.k8s.io_referencegrants.yaml
prometheus-operator-0.93.0|prometheus-operator/prometheus-operator|v0.93.0|example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml
prometheus-operator-0.93.0|prometheus-operator/prometheus-operator|v0.93.0|example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml
prometheus-operator-0.93.0|prometheus-operator/prometheus-operator|v0.93.0|example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml
kubernetes-1.34|kubernetes-client/python|v34.1.0|kubernetes/swagger.json.unprocessed
LIST
)

{
  echo "# Vendored schemas"
  echo
  echo "Verbatim copies of the upstream CRDs and OpenAPI definitions that deploy-tests validates every rendered object"
  echo "against (\`ManifestSchemaTest\`, \`KubernetesSchemas\`); \`VendoredSchemaSourcesTest\` checks each file against the sha256 below. Written by \`deploy/vendor/update.sh\` — do not edit by hand; to move a"
  echo "version, change the tag in update.sh, run it against checkouts of the new tags, and run deploy-tests."
  echo
  echo "| file | upstream repository | tag (commit) | path | sha256 (of the upstream file) |"
  echo "|---|---|---|---|---|"
} > "$HERE/SOURCES.md.new"

while IFS='|' read -r folder repo tag path; do
  git_dir="$MIRRORS/${repo/\//+}/repo"
  commit=$(git --git-dir="$git_dir" rev-parse "$tag^{commit}")
  mkdir -p "$HERE/$folder"
  name=$(basename "$path")
  if [ "$folder" = kubernetes-1.34 ]; then
    git --git-dir="$git_dir" show "$tag:$path" | gzip -n -9 > "$HERE/$folder/$name.gz"
    file="$folder/$name.gz"
    sha=$(git --git-dir="$git_dir" show "$tag:$path" | sha256sum | cut -d' ' -f1)
  else
    git --git-dir="$git_dir" show "$tag:$path" > "$HERE/$folder/$name"
    file="$folder/$name"
    sha=$(sha256sum "$HERE/$file" | cut -d' ' -f1)
  fi
  echo "| \`$file\` | [$repo](https://github.com/$repo) | \`$tag\` (\`${commit:0:12}\`) | \`$path\` | \`$sha\` |" \
    >> "$HERE/SOURCES.md.new"
done <<< "$FILES"

cat >> "$HERE/SOURCES.md.new" <<'NOTE'

Notes:

- CloudNativePG's CRDs are taken from `config/crd/bases` at the tag; `releases/cnpg-1.30.0.yaml` (the install
  manifest, deploy/infra/README.md) embeds the same CRDs.
- The Kubernetes definitions are the OpenAPI v2 document of Kubernetes 1.34 as the official Python client v34.1.0
  ships it (`swagger.json.unprocessed`, i.e. before the client generator's rewriting), gzipped here (`gzip -n -9`);
  `zcat kubernetes-1.34/swagger.json.unprocessed.gz | sha256sum` gives the sha256 above.
- `strimzi-1.2.0/kafka-versions.yaml` is not a schema: Strimzi's list of the Kafka versions 1.2.0 supports and their
  metadata versions, which `InfraTest` holds the Kafka resource to.
- Check a copy: `deploy/vendor/update.sh && git diff --exit-code deploy/vendor`.
NOTE
mv "$HERE/SOURCES.md.new" "$HERE/SOURCES.md"
