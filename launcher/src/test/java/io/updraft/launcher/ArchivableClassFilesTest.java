package io.updraft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.launcher.build.ArchivableClassFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The build step that makes picocli archivable: every picocli class of a jar comes out at class file version 52, the
 * other entries byte for byte as they were, and the rewritten classes pass the JVM's verifier (loaded and initialized
 * in a fresh class loader, which verifies them) and still parse a command line.
 */
class ArchivableClassFilesTest {
    @TempDir
    Path temp;

    @Test
    void givenAJarWithPicocli_whenRewritten_thenPicocliIsVersion52AndStillVerifiesAndWorks() throws Exception {
        Path picocli = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = temp.resolve("cli.jar");
        // picocli's classes beside one entry that must stay as it is
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(picocli));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("io/example/keep.txt"));
            out.write("as it was".getBytes());
            out.closeEntry();
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(in.readAllBytes());
                out.closeEntry();
            }
        }
        assertThat(major(jar, "picocli/CommandLine.class")).isEqualTo(49);

        int rewritten = ArchivableClassFiles.rewrite(jar, "picocli/");

        List<String> classes = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream().filter(e -> e.getName().startsWith("picocli/") && e.getName().endsWith(".class"))
                    .forEach(e -> classes.add(e.getName()));
            assertThat(new String(file.getInputStream(file.getEntry("io/example/keep.txt")).readAllBytes()))
                    .isEqualTo("as it was");
        }
        assertThat(rewritten).isEqualTo(classes.size()).isGreaterThan(100);
        for (String name : classes) {
            assertThat(major(jar, name)).as(name).isEqualTo(52);
        }
        // a second run changes nothing: the step is safe to repeat on an already rewritten jar
        assertThat(ArchivableClassFiles.rewrite(jar, "picocli/")).isZero();

        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] { jar.toUri().toURL() },
                ClassLoader.getPlatformClassLoader())) {
            for (String name : classes) {
                // initializing links, and linking a class of a non-boot loader verifies it (split verifier, frames)
                Class.forName(name.replace('/', '.').replace(".class", ""), true, loader);
            }
            Class<?> commandLine = Class.forName("picocli.CommandLine", true, loader);
            Class<?> spec = Class.forName("picocli.CommandLine$Model$CommandSpec", true, loader);
            Object command = spec.getMethod("create").invoke(null);
            Class<?> option = Class.forName("picocli.CommandLine$Model$OptionSpec", true, loader);
            Object builder = option.getMethod("builder", String.class, String[].class).invoke(null, "--name",
                    new String[0]);
            Method type = builder.getClass().getMethod("type", Class.class);
            type.setAccessible(true); // declared by a package-private super class
            type.invoke(builder, String.class);
            Method build = builder.getClass().getMethod("build");
            build.setAccessible(true);
            spec.getMethod("addOption", option).invoke(command, build.invoke(builder));
            Object line = commandLine.getConstructor(Object.class).newInstance(command);
            Method parse = commandLine.getMethod("parseArgs", String[].class);
            Object result = parse.invoke(line, (Object) new String[] { "--name", "gw" });
            Object value = result.getClass().getMethod("matchedOptionValue", String.class, Object.class)
                    .invoke(result, "--name", null);
            assertThat(value).isEqualTo("gw");
        }
    }

    private static int major(Path jar, String entry) {
        try (JarFile file = new JarFile(jar.toFile()); InputStream in = file.getInputStream(file.getEntry(entry))) {
            byte[] head = in.readNBytes(8);
            return ((head[6] & 0xff) << 8) | (head[7] & 0xff);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
