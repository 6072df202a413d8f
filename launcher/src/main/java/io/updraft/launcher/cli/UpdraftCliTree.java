package io.updraft.launcher.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** The CLI's command tree as picocli builds it, for checks that must cover every command (help, the CI docs). */
public final class UpdraftCliTree {
    private UpdraftCliTree() {
    }

    /** Every command's path from the root ({@code []}, {@code [rollout]}, {@code [rollout, watch]}, …). */
    public static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        walk(root(), List.of(), paths);
        return paths;
    }

    /**
     * Parses a command line as the CLI would, running nothing.
     *
     * @throws CommandLine.ParameterException an unknown command or option, a missing or malformed value
     */
    public static CommandLine.ParseResult parse(String... args) {
        return root().parseArgs(args);
    }

    private static CommandLine root() {
        return UpdraftCli.commandLine(UpdraftCli.detached(Path.of("."), Map.of()));
    }

    private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // aliases lead to the same command
                List<String> subPath = new ArrayList<>(path);
                subPath.add(name);
                walk(sub, List.copyOf(subPath), paths);
            }
        });
    }
}
