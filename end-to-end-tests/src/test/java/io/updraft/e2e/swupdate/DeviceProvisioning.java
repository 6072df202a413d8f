package io.updraft.e2e.swupdate;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.launcher.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * What a factory's provisioning step does for a SWUpdate device before its agent first runs: a target token of its
 * own, and the hardware description suricatta itself never sends. Both through the gateway on loopback.
 */
public final class DeviceProvisioning {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A target token for {@code device}, provisioned through the gateway's management API. */
    public static String targetToken(LocalStack stack, String device) throws Exception {
        String token = UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(stack.service("device-gateway").url() + "/api/v1/devices/" + device + "/token"))
                .header("Authorization", "Bearer " + stack.adminToken()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        return token;
    }

    /** Model, revision and fleet as DDI configData, with the device's own token. */
    public static void describe(LocalStack stack, String device, String token, String model, String revision,
            String fleet) throws Exception {
        String body = "{\"mode\":\"merge\",\"data\":{\"model\":\"" + model + "\",\"revision\":\"" + revision
                + "\",\"fleet\":\"" + fleet + "\"}}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.service("device-gateway").url()
                + "/DEFAULT/controller/v1/" + device + "/configData"))
                .header("Authorization", "TargetToken " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** Fails, naming the package to install, unless every tool is an executable on the PATH. */
    public static void requireTools(String installHint, String... tools) {
        for (String tool : tools) {
            assertThat(onPath(tool)).as(tool + " must be installed (" + installHint + ")").isTrue();
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private DeviceProvisioning() {
    }
}
