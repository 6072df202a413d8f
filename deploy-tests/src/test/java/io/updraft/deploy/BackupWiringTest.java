package io.updraft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL backups through the Barman Cloud plugin hang together: the Cluster archives its WAL to an ObjectStore
 * that exists, the ScheduledBackup uses that plugin on that Cluster, retention is set, the credentials Secret is the
 * documented one — and deploy/infra/README.md's prod fields, on-demand Backup and recovery Cluster match the
 * manifests and the CloudNativePG 1.30.0 schemas.
 */
class BackupWiringTest {
    static final String PLUGIN = "barman-cloud.cloudnative-pg.io";
    private static final String README = "infra/README.md";

    @ParameterizedTest
    @ValueSource(strings = { "overlays/prod", "infra" })
    void walArchivingAndNightlyBackupsGoToTheObjectStore(String kustomization) throws IOException {
        List<JsonNode> objects = render(kustomization);
        JsonNode cluster = Objects.get(objects, "Cluster", "updraft-postgres");

        JsonNode archiver = walArchiver(cluster).orElseThrow(() -> new AssertionError("updraft-postgres archives no WAL"));
        JsonNode store = Objects.get(objects, "ObjectStore", archiver.at("/parameters/barmanObjectName").asText());
        assertThat(store.at("/spec/retentionPolicy").asText()).as("a retention policy (recovery window)")
                .matches("[1-9][0-9]*[dwm]");
        JsonNode s3 = store.at("/spec/configuration/s3Credentials");
        if (!s3.path("inheritFromIAMRole").asBoolean(false)) {
            String secret = s3.at("/accessKeyId/name").asText();
            assertThat(secret).as("the backup credentials Secret").isNotBlank();
            assertThat(s3.at("/secretAccessKey/name").asText()).isEqualTo(secret);
            // its keys are documented; its name is the documented default, or prod's value (overlays/prod/values.env)
            assertThat(readme()).as("the backup credentials Secret is documented")
                    .contains(s3.at("/accessKeyId/key").asText(), s3.at("/secretAccessKey/key").asText());
            if (kustomization.equals("infra")) {
                assertThat(readme()).contains("create secret generic " + secret);
            }
        }

        List<JsonNode> scheduled = Objects.ofKind(objects, "ScheduledBackup").stream()
                .filter(b -> b.at("/spec/cluster/name").asText().equals(Objects.name(cluster))).toList();
        assertThat(scheduled).as("scheduled backups of updraft-postgres").isNotEmpty().allSatisfy(b -> {
            assertThat(b.at("/spec/method").asText()).isEqualTo("plugin");
            assertThat(b.at("/spec/pluginConfiguration/name").asText()).isEqualTo(archiver.path("name").asText());
            assertThat(b.at("/spec/suspend").asBoolean(false)).as("%s runs", Objects.id(b)).isFalse();
            // CloudNativePG's cron has a seconds field first: "0 2 * * *" would not mean 02:00
            assertThat(b.at("/spec/schedule").asText().trim().split("\\s+")).as("%s: six cron fields", Objects.id(b)).hasSize(6);
        });
        assertThat(cluster.at("/spec/postgresql/parameters/max_connections").asText()).as("max_connections explicit")
                .matches("[1-9][0-9]*");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void aBackupThatRunsHasAWalArchiverOfItsPlugin(String overlay) {
        List<JsonNode> objects = Kustomize.overlay(overlay);
        for (JsonNode backup : Objects.ofKind(objects, "ScheduledBackup")) {
            if (backup.at("/spec/suspend").asBoolean(false)) {
                continue;
            }
            JsonNode cluster = Objects.get(objects, "Cluster", backup.at("/spec/cluster/name").asText());
            assertThat(walArchiver(cluster).map(p -> p.path("name").asText()))
                    .as("%s: a plugin backup needs its Cluster's WAL archive (PITR needs both)", Objects.id(backup))
                    .contains(backup.at("/spec/pluginConfiguration/name").asText());
        }
    }

    @Test
    void everyFieldTheReadmeListsForProdIsWhereItSays() throws IOException {
        List<JsonNode> infra = render("infra");
        // | Kind | name | `field.path` | default here | what |
        Matcher row = Pattern.compile("(?m)^\\| ([A-Za-z]+) \\| ([a-z0-9-]+) \\| `([^`]+)` \\| ([^|]+) \\|").matcher(readme());
        List<String> rows = new ArrayList<>();
        while (row.find()) {
            JsonNode object = Objects.get(infra, row.group(1), row.group(2));
            JsonNode field = object.at("/" + row.group(3).replace('.', '/'));
            String fallback = row.group(4).trim();
            if (fallback.startsWith("absent")) {
                assertThat(field.isMissingNode()).as("%s %s: absent here, the cluster's default", Objects.id(object), row.group(3))
                        .isTrue();
                String parent = row.group(3).substring(0, row.group(3).lastIndexOf('.'));
                assertThat(object.at("/" + parent.replace('.', '/')).isObject()).as("%s: %s exists", Objects.id(object), parent)
                        .isTrue();
            } else {
                assertThat(field.isValueNode()).as("%s %s exists", Objects.id(object), row.group(3)).isTrue();
                assertThat(fallback).as("%s %s: the README says its default", Objects.id(object), row.group(3))
                        .contains(field.asText());
            }
            rows.add(row.group(1) + "/" + row.group(2) + ":" + row.group(3));
        }
        assertThat(rows).as("README rows").contains("ObjectStore/updraft-postgres-backup:spec.configuration.destinationPath",
                "ObjectStore/updraft-postgres-backup:spec.configuration.endpointURL",
                "ObjectStore/updraft-postgres-backup:spec.configuration.s3Credentials.accessKeyId.name",
                "Cluster/updraft-postgres:spec.storage.storageClass");
    }

    @Test
    void theReadmesBackupAndRecoveryClusterAreValidAndNameWhatIsDeployed() throws IOException {
        List<JsonNode> prod = Kustomize.overlay("prod");
        JsonNode cluster = Objects.get(prod, "Cluster", "updraft-postgres");
        String store = walArchiver(cluster).orElseThrow().at("/parameters/barmanObjectName").asText();
        List<JsonNode> documented = heredocs(readme());

        assertThat(documented.stream().flatMap(o -> KubernetesSchemas.vendored().problems(o).stream()))
                .as("the README's manifests against the CloudNativePG 1.30.0 CRDs").isEmpty();

        JsonNode backup = Objects.ofKind(documented, "Backup").get(0);
        assertThat(backup.at("/spec/cluster/name").asText()).isEqualTo(Objects.name(cluster));
        assertThat(backup.at("/spec/pluginConfiguration/name").asText()).isEqualTo(PLUGIN);

        JsonNode restored = Objects.ofKind(documented, "Cluster").get(0);
        String source = restored.at("/spec/bootstrap/recovery/source").asText();
        JsonNode external = Objects.list(restored.at("/spec/externalClusters")).stream()
                .filter(e -> e.path("name").asText().equals(source)).findFirst()
                .orElseThrow(() -> new AssertionError("recovery source " + source + " is no externalClusters entry"));
        assertThat(external.at("/plugin/name").asText()).isEqualTo(PLUGIN);
        assertThat(external.at("/plugin/parameters/barmanObjectName").asText()).as("restores from the deployed ObjectStore")
                .isEqualTo(store);
        assertThat(external.at("/plugin/parameters/serverName").asText()).as("the backups of updraft-postgres")
                .isEqualTo(Objects.name(cluster));
        assertThat(walArchiver(restored).orElseThrow().at("/parameters/serverName").asText())
                .as("the restored cluster archives beside, not over, the archive it restores from")
                .isNotEqualTo(Objects.name(cluster)).isNotBlank();
        assertThat(restored.at("/spec/bootstrap/recovery/secret/name").asText())
                .isEqualTo(cluster.at("/spec/bootstrap/initdb/secret/name").asText());
        assertThat(passwordSecrets(restored)).as("the same role passwords the services log in with")
                .isEqualTo(passwordSecrets(cluster));
        assertThat(restored.at("/spec/postgresql/parameters/max_connections").asText())
                .isEqualTo(cluster.at("/spec/postgresql/parameters/max_connections").asText());
    }

    static java.util.Optional<JsonNode> walArchiver(JsonNode cluster) {
        List<JsonNode> archivers = Objects.list(cluster.at("/spec/plugins")).stream()
                .filter(p -> p.path("isWALArchiver").asBoolean(false) && p.path("enabled").asBoolean(true)).toList();
        assertThat(archivers.size()).as("%s: at most one WAL archiver", Objects.id(cluster)).isLessThanOrEqualTo(1);
        return archivers.stream().findFirst().filter(p -> p.path("name").asText().equals(PLUGIN));
    }

    private static Set<String> passwordSecrets(JsonNode cluster) {
        return Objects.list(cluster.at("/spec/managed/roles")).stream()
                .map(r -> r.path("name").asText() + "=" + r.at("/passwordSecret/name").asText()).collect(Collectors.toSet());
    }

    /** The YAML documents the README feeds to kubectl with {@code <<'EOF' ... EOF}. */
    private static List<JsonNode> heredocs(String markdown) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        Matcher doc = Pattern.compile("(?s)<<'EOF'\\n(.*?)\\n\\s*EOF\\n").matcher(markdown);
        while (doc.find()) {
            String body = doc.group(1);
            int indent = body.length() - body.stripLeading().length();
            String yaml = body.lines().map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                    .collect(Collectors.joining("\n"));
            out.addAll(Kustomize.parse(yaml));
        }
        assertThat(out).as("manifests in " + README).isNotEmpty();
        return out;
    }

    private static String readme() throws IOException {
        return Files.readString(Repo.deploy().resolve(README));
    }

    private static List<JsonNode> render(String kustomization) {
        return kustomization.startsWith("overlays/") ? Kustomize.overlay(kustomization.substring("overlays/".length()))
                : Kustomize.render(Repo.deploy().resolve(kustomization));
    }
}
