package io.updraft.launcher.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A build step (launcher/pom.xml, after the shade of {@code updraft-cli.jar}, before its CDS training): rewrites the
 * class files under the given package prefixes to class file version 52 (Java 8) with stack map frames. picocli ships
 * compiled for Java 5 (version 49); HotSpot's class-data sharing never archives such classes, so every CLI call parsed
 * and verified picocli's ~170 classes with the old inference verifier (~70 ms of CPU). The bytecode is unchanged
 * (picocli uses no JSR/RET, which version 51+ forbids; ASM refuses the class if it did); only the version and the
 * frames are new. Not on the CLI's class path: ASM is a {@code provided} dependency.
 *
 * <p>{@code java io.updraft.launcher.build.ArchivableClassFiles JAR PREFIX…} (prefix as a path: {@code picocli/}).
 */
public final class ArchivableClassFiles {
    /** The version written: Java 8, the first whose classes CDS archives and the split verifier checks. */
    public static final int VERSION = Opcodes.V1_8;

    private ArchivableClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ArchivableClassFiles JAR PREFIX...");
            System.exit(64);
        }
        Path jar = Path.of(args[0]);
        String[] prefixes = java.util.Arrays.copyOfRange(args, 1, args.length);
        int rewritten = rewrite(jar, prefixes);
        System.out.println("ArchivableClassFiles: " + rewritten + " class files of " + String.join(", ", prefixes)
                + " in " + jar.getFileName() + " now version 52");
    }

    /** Rewrites {@code jar} in place; returns how many class files changed. */
    public static int rewrite(Path jar, String... prefixes) throws IOException {
        Path temp = Files.createTempFile(jar.toAbsolutePath().getParent(), jar.getFileName().toString(), ".tmp");
        int rewritten = 0;
        // COMPUTE_FRAMES asks for common super classes: the jar's own classes, loaded (never initialized) from it
        try (URLClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() },
                ClassLoader.getPlatformClassLoader());
                InputStream in = Files.newInputStream(jar);
                ZipInputStream zip = new ZipInputStream(in);
                OutputStream out = Files.newOutputStream(temp);
                ZipOutputStream copy = new ZipOutputStream(out)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                byte[] bytes = zip.readAllBytes();
                if (entry.getName().endsWith(".class") && matches(entry.getName(), prefixes)) {
                    byte[] upgraded = upgrade(bytes, loader);
                    if (upgraded != bytes) {
                        rewritten++;
                        bytes = upgraded;
                    }
                }
                ZipEntry written = new ZipEntry(entry.getName());
                written.setTime(entry.getTime());
                copy.putNextEntry(written);
                copy.write(bytes);
                copy.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try { // a temp file is owner-only: keep the jar's own permissions
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(jar));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: nothing to keep
        }
        Files.move(temp, jar, StandardCopyOption.REPLACE_EXISTING);
        return rewritten;
    }

    private static boolean matches(String name, String[] prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The class at version 52 with computed frames, or {@code bytes} itself when it already is 52 or newer (or is a
     * module-info).
     */
    public static byte[] upgrade(byte[] bytes, ClassLoader loader) {
        ClassReader reader = new ClassReader(bytes);
        int major = reader.readUnsignedShort(6);
        if (major >= 52 || (reader.getAccess() & Opcodes.ACC_MODULE) != 0) {
            return bytes;
        }
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return loader;
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                super.visit(VERSION, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
