package io.updraft.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;

/**
 * The main class of a {@link ServiceClassPathRun} child: gives the loggers the levels the service runs with, then
 * runs the benchmark's own main class (the first argument) with the other arguments.
 *
 * <p>Why: the service's class path carries Quarkus's bootstrap runner, whose initial log configurator leaves every
 * logger at {@code ALL} until Quarkus configures logging at start-up, which a class-level benchmark never does. Each
 * {@code isTraceEnabled()} then answered true, and Kafka's clients and Streams formatted a TRACE message per record
 * (13–14 % of a stream thread's samples in the 2026-12-07 profile) that the service, at {@code org.apache.kafka}
 * WARN, never formats. The levels come from the service's own {@code application.properties}: the root at
 * {@code quarkus.log.level} (INFO unless set), each {@code quarkus.log.category."name".level}; a {@code %prod.} key
 * wins over the plain one, as in the packaged service.
 */
public final class ServiceLogLevels {
    private static final String ROOT = "quarkus.log.level";
    private static final String CATEGORY = "quarkus.log.category.\"";
    private static final String LEVEL = "\".level";

    private ServiceLogLevels() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ServiceLogLevels <main class> [arguments]");
        }
        applyFromClassPath();
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Logger name ("" for the root) → level, as the packaged (prod) service would set them. */
    static Map<String, Level> levels(Properties service) {
        Map<String, Level> levels = new LinkedHashMap<>();
        levels.put("", level(value(service, ROOT, "INFO")));
        for (String key : service.stringPropertyNames()) {
            boolean prod = key.startsWith("%prod.");
            if (key.startsWith("%") && !prod) {
                continue; // another profile's (dev, test)
            }
            String plain = prod ? key.substring("%prod.".length()) : key;
            if (plain.startsWith(CATEGORY) && plain.endsWith(LEVEL)) {
                String category = plain.substring(CATEGORY.length(), plain.length() - LEVEL.length());
                levels.put(category, level(value(service, plain, null)));
            }
        }
        return levels;
    }

    /**
     * The levels of the first {@code application.properties} on the class path: the service's in a child (its jar
     * comes first), the benchmarks module's own in the suite's JVM ({@link BenchSuite}), whose raw producer and plain
     * consumers are baselines and must not format TRACE messages per record either (Kafka's producer does, per send).
     */
    static void applyFromClassPath() throws IOException {
        apply(levels(serviceProperties()));
    }

    static void apply(Map<String, Level> levels) {
        // JBoss LogManager's loggers (what the services' SLF4J binding logs through), whichever LogManager the JDK
        // was given: in the suite's JVM it is the JDK's own, whose loggers SLF4J never asks
        levels.forEach((name, level) -> org.jboss.logmanager.Logger.getLogger(name).setLevel(level));
    }

    /** JBoss / Quarkus level names, and the JDK's. */
    static Level level(String name) {
        return switch (name.strip().toUpperCase(Locale.ROOT)) {
            case "FATAL", "ERROR" -> Level.SEVERE;
            case "WARN" -> Level.WARNING;
            case "DEBUG" -> Level.FINE;
            case "TRACE" -> Level.FINER;
            default -> Level.parse(name.strip().toUpperCase(Locale.ROOT));
        };
    }

    private static String value(Properties service, String key, String otherwise) {
        return service.getProperty("%prod." + key, service.getProperty(key, otherwise));
    }

    /** The service's {@code application.properties}: the first on the class path (its jar comes first). */
    private static Properties serviceProperties() throws IOException {
        Properties service = new Properties();
        URL url = ClassLoader.getSystemResource("application.properties");
        if (url != null) {
            try (InputStream in = url.openStream()) {
                service.load(in);
            }
        }
        return service;
    }
}
