package io.updraft.deploy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What a service really reads, consumes and produces, taken from its own files: {@code application.properties},
 * its {@code pom.xml}, its {@code @ConfigMapping} interfaces and the event records its code constructs.
 */
final class ServiceFacts {
    /** The topic of each event family of the {@code events} module. */
    static final Map<Class<?>, String> EVENT_FAMILIES = Map.of(
            io.updraft.events.ReleaseEvent.class, io.updraft.events.Topics.RELEASES,
            io.updraft.events.DeviceCommand.class, io.updraft.events.Topics.DEVICE_COMMANDS,
            io.updraft.events.DeviceReport.class, io.updraft.events.Topics.DEVICE_REPORTS,
            io.updraft.events.DeviceTelemetry.class, io.updraft.events.Topics.DEVICE_TELEMETRY,
            io.updraft.events.RolloutEvent.class, io.updraft.events.Topics.ROLLOUT_EVENTS,
            io.updraft.events.RollbackEvent.class, io.updraft.events.Topics.ROLLBACKS,
            io.updraft.events.FleetHealthEvent.class, io.updraft.events.Topics.FLEET_HEALTH,
            io.updraft.events.TenantEvent.class, io.updraft.events.Topics.TENANTS);
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
    /**
     * Sources that construct an event only as input to the service's own code, never to send it: rollout-service's
     * start-up rehearsal feeds a ReleasePublished to its catalog inside a transaction it rolls back (WarmUpIT: nothing
     * of it stays or is sent). Granting a write for it would break least privilege.
     */
    private static final Set<String> CONSTRUCTS_WITHOUT_SENDING = Set.of(
            "rollout-service/src/main/java/io/updraft/rollout/service/WarmUpRehearsal.java");
    private static final Pattern CONSTRUCTION = Pattern.compile("new\\s+(?:[A-Za-z_]\\w*\\.)*([A-Z]\\w*)\\s*\\(");
    private static final Pattern EXPRESSION_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)");
    private static final Pattern PROFILE = Pattern.compile("^%[^.]+\\.");
    /** {@code @ConfigProperty(name = "x")}: a property read by injection, with or without a default. */
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    /** A Vert.x route registered on a literal path, e.g. {@code router.get("/console-config.json")}. */
    private static final Pattern ROUTER_PATH = Pattern.compile("\\.(?:get|route)\\(\"(/[^\"]*)\"\\)");

    final String name;
    final Path dir;
    private final Properties properties = new Properties();
    private final String pom;

    private ServiceFacts(String name) {
        this.name = name;
        this.dir = Repo.root().resolve(name);
        try (Reader reader = Files.newBufferedReader(dir.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
            pom = Files.readString(dir.resolve("pom.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServiceFacts of(String service) {
        return new ServiceFacts(service);
    }

    /** A property as the prod profile sees it. */
    Optional<String> property(String key) {
        return Optional.ofNullable(properties.getProperty("%prod." + key, properties.getProperty(key)))
                .map(this::expand);
    }

    /** A value that is only a reference to another property ({@code ${other}} or {@code ${other:default}}): its value. */
    private String expand(String value) {
        Matcher reference = REFERENCE.matcher(value.trim());
        if (!reference.matches()) {
            return value;
        }
        return property(reference.group(1)).orElse(reference.group(2) == null ? value : reference.group(2));
    }

    int httpPort() {
        return Integer.parseInt(property("quarkus.http.port").orElse("8080"));
    }

    boolean hasDependency(String artifactId) {
        return pom.contains("<artifactId>" + artifactId + "</artifactId>");
    }

    /** Incoming channel → its topics ({@code topic}, or {@code topics} as a list, or the channel name). */
    Map<String, List<String>> consumedTopics() {
        return channels("incoming");
    }

    /** Every topic an incoming channel or the Kafka Streams topology reads. */
    Set<String> readTopics() {
        Set<String> topics = new TreeSet<>();
        consumedTopics().values().forEach(topics::addAll);
        topics.addAll(streamsSourceTopics());
        return topics;
    }

    Set<String> deadLetterTopics() {
        Set<String> topics = new TreeSet<>();
        consumedTopics().forEach((channel, channelTopics) -> {
            String prefix = "mp.messaging.incoming." + channel + ".";
            if ("dead-letter-queue".equals(property(prefix + "failure-strategy").orElse("fail"))) {
                channelTopics.forEach(topic -> topics.add(
                        property(prefix + "dead-letter-queue.topic").orElse("dead-letter-topic-" + topic)));
            }
        });
        return topics;
    }

    /** Channels whose unreadable records are parked on a dead-letter topic (others ignore or fail by design). */
    Map<String, List<String>> deadLetteredChannels() {
        Map<String, List<String>> channels = new TreeMap<>(consumedTopics());
        channels.keySet().removeIf(channel -> !"dead-letter-queue".equals(
                property("mp.messaging.incoming." + channel + ".failure-strategy").orElse("fail")));
        return channels;
    }

    /**
     * Consumer groups as ACL resources "name:literal" or "prefix:prefixed": a group id with an expression (one group
     * per replica, e.g. {@code x-${quarkus.uuid}}) is granted by the prefix before the expression. The Kafka Streams
     * application id is a group too.
     */
    Set<String> consumerGroups() {
        Set<String> groups = new TreeSet<>();
        consumedTopics().keySet().forEach(channel -> {
            String group = rawProperty("mp.messaging.incoming." + channel + ".group.id")
                    .or(() -> rawProperty("kafka.group.id")).or(() -> property("quarkus.application.name")).orElseThrow();
            int expression = group.indexOf("${");
            groups.add(expression < 0 ? group + ":literal" : group.substring(0, expression) + ":prefix");
        });
        streamsApplicationId().ifPresent(id -> groups.add(id + ":literal"));
        return groups;
    }

    /** {@code quarkus.kafka-streams.application-id}, when the service runs a Kafka Streams topology. */
    Optional<String> streamsApplicationId() {
        return property("quarkus.kafka-streams.application-id");
    }

    Set<String> streamsSourceTopics() {
        return new TreeSet<>(property("quarkus.kafka-streams.topics").map(ServiceFacts::split).orElse(List.of()));
    }

    /** Whether the topology writes in transactions (exactly-once), so it needs its transactional ids. */
    boolean streamsExactlyOnce() {
        return property("kafka-streams.processing.guarantee").orElse("at_least_once").startsWith("exactly_once");
    }

    /** Topics of outgoing channels and of every event record the service's code constructs. */
    Set<String> producedTopics() {
        Set<String> topics = new TreeSet<>();
        channels("outgoing").values().forEach(topics::addAll);
        Map<String, String> eventTopics = eventTopicsBySimpleName();
        try (Stream<Path> sources = Files.walk(dir.resolve("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (CONSTRUCTS_WITHOUT_SENDING.contains(Repo.root().relativize(source).toString().replace('\\', '/'))) {
                    continue;
                }
                Matcher m = CONSTRUCTION.matcher(Files.readString(source));
                while (m.find()) {
                    String topic = eventTopics.get(m.group(1));
                    if (topic != null) {
                        topics.add(topic);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return topics;
    }

    /**
     * Whether the service answers under {@code path}: a static resource in {@code META-INF/resources} ({@code /}: its
     * index.html; a directory: the files under it), a Vert.x route on that literal path, or a JAX-RS {@code @Path} of its sources that starts with it
     * (templates as written, e.g. {@code /{tenant}/controller/v1}).
     */
    boolean serves(String path) {
        Path resources = dir.resolve("src/main/resources/META-INF/resources");
        if (path.equals("/") ? Files.isRegularFile(resources.resolve("index.html"))
                : Files.isRegularFile(resources.resolve(path.substring(1)))) {
            return true;
        }
        if (!path.equals("/") && staticResources().stream().anyMatch(r -> r.startsWith(path + "/"))) {
            return true; // a directory of static files, e.g. /js
        }
        if (sourcesMatch(ROUTER_PATH).contains(path)) {
            return true;
        }
        Pattern resourcePath = Pattern.compile("@Path\\(\"([^\"]+)\"\\)");
        try (Stream<Path> sources = Files.walk(dir.resolve("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = resourcePath.matcher(Files.readString(source));
                while (m.find()) {
                    if (m.group(1).equals(path) || m.group(1).startsWith(path + "/")) {
                        return true;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
    }

    /** Every static file under {@code META-INF/resources}, as the path a browser asks for ({@code /js/app.js}). */
    Set<String> staticResources() {
        Path resources = dir.resolve("src/main/resources/META-INF/resources");
        if (!Files.isDirectory(resources)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(resources)) {
            Set<String> paths = new TreeSet<>();
            files.filter(Files::isRegularFile).forEach(f -> paths.add("/" + resources.relativize(f).toString().replace('\\', '/')));
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Group 1 of every match of {@code pattern} in the service's Java sources. */
    Set<String> sourcesMatch(Pattern pattern) {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(dir.resolve("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = pattern.matcher(Files.readString(source));
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** Every topic the service touches. */
    Set<String> topics() {
        Set<String> topics = new TreeSet<>(readTopics());
        topics.addAll(deadLetterTopics());
        topics.addAll(producedTopics());
        return topics;
    }

    /**
     * Whether an environment variable is one the service reads: the env form of a property in its
     * application.properties (any profile), of its {@code @ConfigMapping} interfaces (its own and service-support's) or
     * of a {@code @ConfigProperty(name = ...)} in its sources,
     * a variable that application.properties expands (${NAME}), or a Kafka client setting that the Kafka connector
     * passes on from {@code kafka.*}.
     */
    boolean reads(String envName) {
        if (configProperties().stream().anyMatch(p -> envName(p).equals(envName))) {
            return true;
        }
        if (expressionVariables().contains(envName)) {
            return true;
        }
        if (envName.startsWith("KAFKA_")) {
            String client = envName.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
            return ConsumerConfig.configNames().contains(client) || ProducerConfig.configNames().contains(client);
        }
        return false;
    }

    /** The property names the service knows. */
    Set<String> configProperties() {
        Set<String> names = new TreeSet<>();
        properties.stringPropertyNames().forEach(k -> names.add(PROFILE.matcher(k).replaceFirst("")));
        names.addAll(sourcesMatch(CONFIG_PROPERTY));
        for (Class<?> mapping : configMappings()) {
            collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, names);
        }
        for (Class<?> root : extensionConfigRoots()) {
            collect(root.getAnnotation(ConfigMapping.class).prefix(), root, names);
        }
        return names;
    }

    /**
     * The runtime configuration roots ({@code META-INF/quarkus-config-roots.list}) of the Quarkus extensions this
     * service's pom declares — e.g. {@code quarkus.kafka-streams.*} for a service with quarkus-kafka-streams.
     */
    private Set<Class<?>> extensionConfigRoots() {
        Set<Class<?>> roots = new java.util.LinkedHashSet<>();
        try {
            var lists = ServiceFacts.class.getClassLoader().getResources("META-INF/quarkus-config-roots.list");
            while (lists.hasMoreElements()) {
                java.net.URL list = lists.nextElement();
                Matcher jar = Pattern.compile("/([^/]+)/[^/]+/[^/]+\\.jar!").matcher(list.toString());
                if (!jar.find() || !hasDependency(jar.group(1))) {
                    continue;
                }
                try (var in = list.openStream()) {
                    for (String className : new String(in.readAllBytes()).split("\\s+")) {
                        if (className.isBlank()) {
                            continue;
                        }
                        try {
                            Class<?> root = Class.forName(className);
                            if (root.isAnnotationPresent(ConfigMapping.class)) {
                                roots.add(root);
                            }
                        } catch (ClassNotFoundException | LinkageError e) {
                            System.err.println("config root " + className + " not loadable: " + e);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return roots;
    }

    Set<String> expressionVariables() {
        Set<String> variables = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = EXPRESSION_VARIABLE.matcher(properties.getProperty(key));
            while (m.find()) {
                variables.add(m.group(1));
            }
        }
        return variables;
    }

    /** The raw value, expressions unexpanded. */
    private Optional<String> rawProperty(String key) {
        return property(key);
    }

    private static List<String> split(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private Map<String, List<String>> channels(String direction) {
        Map<String, List<String>> channels = new TreeMap<>();
        String prefix = "mp.messaging." + direction + ".";
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix) && key.endsWith(".connector")) {
                String channel = key.substring(prefix.length(), key.length() - ".connector".length());
                channels.put(channel, property(prefix + channel + ".topics").map(ServiceFacts::split)
                        .orElse(List.of(property(prefix + channel + ".topic").orElse(channel))));
            }
        }
        return channels;
    }

    /** The service's own @ConfigMapping interfaces and service-support's, found in their sources, loaded by name. */
    private Set<Class<?>> configMappings() {
        Set<Class<?>> mappings = new java.util.LinkedHashSet<>();
        for (Path sources : new Path[] { dir.resolve("src/main/java"), Repo.root().resolve("service-support/src/main/java") }) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (Files.readString(file).contains("@ConfigMapping(")) {
                        String className = sources.relativize(file).toString().replace(".java", "").replace('/', '.');
                        mappings.add(Class.forName(className));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ClassNotFoundException e) {
                throw new AssertionError("@ConfigMapping class not on the test class path: " + e.getMessage(), e);
            }
        }
        return mappings;
    }

    private static void collect(String prefix, Class<?> group, Set<String> names) {
        for (Method method : group.getMethods()) {
            if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            String name = method.isAnnotationPresent(WithName.class) ? method.getAnnotation(WithName.class).value()
                    : kebab(method.getName());
            String key = method.isAnnotationPresent(WithParentName.class) ? prefix : prefix + "." + name;
            Class<?> type = unwrapOptional(method.getGenericReturnType());
            if (type.isInterface() && !type.getName().startsWith("java.")) {
                collect(key, type, names);
            } else {
                names.add(key);
            }
        }
    }

    private static Class<?> unwrapOptional(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == Optional.class
                && p.getActualTypeArguments()[0] instanceof Class<?> inner) {
            return inner;
        }
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> eventTopicsBySimpleName() {
        Map<String, String> topics = new TreeMap<>();
        EVENT_FAMILIES.forEach((family, topic) -> {
            for (Class<?> event : family.getPermittedSubclasses()) {
                if (topics.put(event.getSimpleName(), topic) != null) {
                    throw new AssertionError("event name " + event.getSimpleName() + " is in two families");
                }
            }
        });
        return topics;
    }

    @Override
    public String toString() {
        return name;
    }
}
