package io.updraft.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.junit.QuarkusTest;
import io.updraft.events.ActionType;
import io.updraft.events.ArtifactRef;
import io.updraft.testsupport.TestKafka;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;
import org.junit.jupiter.api.Test;

/**
 * Every JAX-RS endpoint under {@code /{tenant}/controller/…}, found in the compiled classes (so an endpoint added
 * tomorrow is in the list), called for another device without credentials, with that other device's TargetToken,
 * with a wrong tenant and through the raw paths that once skipped authentication: never a 2xx, and nothing changes.
 */
@QuarkusTest
class DdiEndpointAuthIT extends GatewayTestBase {
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    private static final DotName PATH = DotName.createSimple(jakarta.ws.rs.Path.class.getName());
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}:]+)[^}]*}");

    @Inject
    EntityManager entityManager;

    record Endpoint(String method, String template) {
        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    @Test
    void givenEveryDdiEndpoint_whenCalledWithoutTheDevicesOwnCredentials_thenRefusedAndNothingChanges()
            throws IOException {
        GatewayDatabase database = new GatewayDatabase(entityManager);
        DdiDevice victim = DdiDevice.random();
        DdiDevice attacker = DdiDevice.random();
        DdiPollIT.provision(victim, "victim-token-" + victim.id());
        DdiPollIT.provision(attacker, "attacker-token-" + attacker.id());
        victim.poll();
        long actionId = Commands.newActionId();
        ArtifactRef artifact = Commands.artifact("os", "victim.swu");
        TestKafka.send(Commands.install(victim.id(), actionId, ActionType.FORCED, null, List.of(artifact)));
        eventually().until(() -> victim.offeredDeployment() != null);
        Map<String, String> values = Map.of("tenant", "DEFAULT", "controllerId", victim.id(),
                "actionId", Long.toString(actionId), "artifactId", Long.toString(artifact.artifactId()),
                "filename", artifact.filename());
        String attributesBefore = database.attributes(victim.id());
        long outboxBefore = database.outboxSequence();

        List<Endpoint> endpoints = ddiEndpoints();
        assertThat(endpoints).as("found by scanning the compiled resources").contains(
                new Endpoint("GET", "/{tenant}/controller/v1/{controllerId}"),
                new Endpoint("PUT", "/{tenant}/controller/v1/{controllerId}/configData"),
                new Endpoint("GET", "/{tenant}/controller/v1/{controllerId}/softwaremodules/{artifactId}/artifacts/{filename}"))
                .hasSizeGreaterThanOrEqualTo(11);
        for (Endpoint endpoint : endpoints) {
            for (String path : paths(endpoint, values)) {
                assertRefusedEverywhere(endpoint, path, attacker);
            }
        }

        assertThat(database.actionStatus(actionId)).isEqualTo("PENDING");
        assertThat(database.attributes(victim.id())).isEqualTo(attributesBefore);
        assertThat(database.outboxSequence()).as("no event written").isEqualTo(outboxBefore);
        assertThat(victim.offeredDeployment()).contains("/deploymentBase/" + actionId);
    }

    /** The endpoint's path for the victim; a file name also as its {@code .MD5SUM}, served by the same method. */
    private static List<String> paths(Endpoint endpoint, Map<String, String> values) {
        String path = fill(endpoint.template(), values);
        return endpoint.template().endsWith("{filename}") ? List.of(path, path + ".MD5SUM") : List.of(path);
    }

    private static void assertRefusedEverywhere(Endpoint endpoint, String path, DdiDevice attacker) {
        String body = endpoint.method().equals("GET") ? null : bodyFor(endpoint.template());

        RawHttp.Answer anonymous = RawHttp.send(endpoint.method(), path, null, body);
        assertThat(anonymous.status()).as(endpoint + " without credentials").isEqualTo(401);
        assertThat(anonymous.headers()).as(endpoint.toString()).containsEntry("www-authenticate", "TargetToken");
        assertThat(anonymous.contentType()).as(endpoint.toString()).startsWith("application/problem+json");

        RawHttp.Answer otherDevice = RawHttp.send(endpoint.method(), path,
                "TargetToken attacker-token-" + attacker.id(), body);
        assertThat(otherDevice.status()).as(endpoint + " with another device's TargetToken").isEqualTo(401);

        RawHttp.Answer otherTenant = RawHttp.send(endpoint.method(), path.replaceFirst("^/DEFAULT/", "/OTHER/"),
                "GatewayToken " + DdiDevice.GATEWAY_TOKEN, body);
        assertThat(otherTenant.status()).as(endpoint + " in another tenant").isEqualTo(404);

        String rest = path.substring("/DEFAULT/controller/v1/".length());
        for (String base : DdiAuthBypassIT.BYPASS_BASES) {
            DdiAuthBypassIT.assertRefused(endpoint + " via " + base, RawHttp.send(endpoint.method(), base + rest,
                    null, body));
        }
    }

    /** Resource methods whose full path template starts with {@code /{…}/controller/}. */
    static List<Endpoint> ddiEndpoints() throws IOException {
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(Path.of("target/classes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        }
        Index index = indexer.complete();
        List<Endpoint> endpoints = new ArrayList<>();
        for (ClassInfo resource : index.getKnownClasses()) {
            AnnotationInstance classPath = resource.declaredAnnotation(PATH);
            for (MethodInfo method : resource.methods()) {
                String verb = method.declaredAnnotations().stream()
                        .map(a -> a.name().local())
                        .filter(HTTP_METHODS::contains)
                        .findFirst().orElse(null);
                if (verb == null) {
                    continue;
                }
                AnnotationInstance methodPath = method.declaredAnnotation(PATH);
                String template = join(classPath == null ? "" : classPath.value().asString(),
                        methodPath == null ? "" : methodPath.value().asString());
                String[] segments = template.split("/");
                if (segments.length > 2 && segments[2].equals("controller")) {
                    endpoints.add(new Endpoint(verb, template));
                }
            }
        }
        return endpoints;
    }

    private static String join(String classPath, String methodPath) {
        String joined = "/" + classPath + "/" + methodPath;
        return joined.replaceAll("/+", "/").replaceAll("(.)/$", "$1");
    }

    /** The template with the victim's values; a parameter this test does not know fails it, to be taught here. */
    private static String fill(String template, Map<String, String> values) {
        Matcher m = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                fail("path parameter {" + m.group(1) + "} of " + template + " has no value in this test");
            }
            m.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        return m.appendTail(path).toString();
    }

    /** A body the endpoint would accept from its own device: what an attacker would send. */
    private static String bodyFor(String template) {
        if (template.endsWith("/feedback")) {
            return "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"failure\"}}}";
        }
        if (template.endsWith("/configData")) {
            return "{\"mode\":\"replace\",\"data\":{\"owner\":\"attacker\"}}";
        }
        if (template.endsWith("/installedBase")) {
            return "{\"version\":\"6.6.6\"}";
        }
        if (template.endsWith("/health")) {
            return "{\"bootOk\":false,\"crashCount\":9,\"appHealthy\":false}";
        }
        return "{}";
    }
}
