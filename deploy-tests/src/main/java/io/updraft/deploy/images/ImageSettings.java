package io.updraft.deploy.images;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's image looks like, read from the {@code ## Container image} section of its
 * {@code application.properties} — the same {@code quarkus.container-image.*} and {@code quarkus.jib.*} keys the
 * Quarkus Jib extension reads, so both ways of building the image agree.
 */
public record ImageSettings(String service, String repository, String baseImage, String user, String workingDirectory,
        List<String> jvmArguments, List<String> ports) {

    /** Quarkus' default {@code quarkus.jib.jvm-arguments}. */
    static final String DEFAULT_JVM_ARGUMENTS = "-Djava.util.logging.manager=org.jboss.logmanager.LogManager";
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    public static ImageSettings of(Path repoRoot, String service) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(
                repoRoot.resolve(service).resolve("src/main/resources/application.properties"))) {
            props.load(reader);
        }
        String group = get(props, "quarkus.container-image.group", null);
        String name = get(props, "quarkus.container-image.name", service);
        String base = get(props, "quarkus.jib.base-jvm-image", null);
        if (group == null || base == null) {
            throw new IllegalStateException(service + ": application.properties lacks quarkus.container-image.group or "
                    + "quarkus.jib.base-jvm-image (its '## Container image' section)");
        }
        List<String> jvmArguments = new java.util.ArrayList<>(list(get(props, "quarkus.jib.jvm-arguments", DEFAULT_JVM_ARGUMENTS)));
        jvmArguments.addAll(list(get(props, "quarkus.jib.jvm-additional-arguments", "")));
        return new ImageSettings(service, group + "/" + name, base, get(props, "quarkus.jib.user", null),
                get(props, "quarkus.jib.working-directory", "/home/jboss"), List.copyOf(jvmArguments),
                list(get(props, "quarkus.jib.ports", get(props, "quarkus.http.port", "8080"))));
    }

    /** The base image tarball, when {@link #baseImage} is a {@code tar://} reference. */
    public Path baseImageTarball() {
        if (!baseImage.startsWith("tar://")) {
            throw new IllegalStateException(service + ": only a tar:// base image can be built without a registry, not "
                    + baseImage);
        }
        return Path.of(baseImage.substring("tar://".length()));
    }

    private static String get(Properties props, String key, String fallback) {
        String value = props.getProperty(key);
        return value == null ? fallback : expand(value.trim());
    }

    /** Expands {@code ${name}} and {@code ${name:default}} from system properties and the environment. */
    static String expand(String value) {
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String resolved = System.getProperty(name, System.getenv(name));
            if (resolved == null) {
                resolved = m.group(2);
            }
            if (resolved == null) {
                throw new IllegalStateException("cannot resolve ${" + name + "} in " + value);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<String> list(String value) {
        return value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(String::trim).toList();
    }
}
