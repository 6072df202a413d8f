package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A call like {@code rollout status X} builds only the root, its group and that command (start-up); the command must
 * come out exactly as in the whole tree — its usage text, every option (inherited globals and -h included), its exit
 * codes — for every command of the CLI, and only such calls take the short way.
 */
class UpdraftCliTreeTest {
    private static UpdraftCli cli() {
        return UpdraftCli.detached(Path.of("."), Map.of());
    }

    @Test
    void givenEveryCommand_whenBuiltAlone_thenItIsTheCommandOfTheWholeTree() {
        CommandLine whole = UpdraftCli.commandLine(cli());
        int compared = 0;
        for (List<String> path : UpdraftCliTree.commandPaths()) {
            if (path.size() != 2) {
                continue;
            }
            CommandLine partial = UpdraftCli.commandLine(cli(), path.get(0), path.get(1), "x");
            assertThat(partial.getSubcommands().keySet()).as("root of %s", path).containsExactly(path.get(0));
            CommandLine alone = partial.getSubcommands().get(path.get(0)).getSubcommands().get(path.get(1));
            CommandLine full = whole.getSubcommands().get(path.get(0)).getSubcommands().get(path.get(1));
            assertThat(partial.getSubcommands().get(path.get(0)).getSubcommands().values()).as("group of %s", path)
                    .allMatch(command -> command.getCommandName().equals(path.get(1)));

            assertThat(alone.getUsageMessage(CommandLine.Help.Ansi.OFF)).as("usage of %s", path)
                    .isEqualTo(full.getUsageMessage(CommandLine.Help.Ansi.OFF));
            assertThat(describe(alone)).as("options of %s", path).isEqualTo(describe(full));
            assertThat(alone.getCommandSpec().exitCodeOnInvalidInput()).isEqualTo(UpdraftCli.USAGE);
            assertThat(alone.getCommandSpec().exitCodeOnExecutionException()).isEqualTo(1);
            assertThat(alone.getCommandSpec().aliases()).isEqualTo(full.getCommandSpec().aliases());
            compared++;
        }
        assertThat(compared).isGreaterThan(15);
    }

    @Test
    void givenTheRoutingWords_whenComparedWithTheAnnotations_thenEveryGroupAndCommandWordIsThere() {
        CommandLine whole = UpdraftCli.commandLine(cli());
        Map<String, Map<String, Class<?>>> annotated = new java.util.LinkedHashMap<>();
        whole.getSubcommands().forEach((groupWord, group) -> {
            if (!group.getSubcommands().isEmpty()) {
                Map<String, Class<?>> commands = new java.util.LinkedHashMap<>();
                group.getSubcommands().forEach((word, command) -> commands.put(word,
                        command.getCommandSpec().userObject().getClass()));
                annotated.put(groupWord, commands);
            }
        });
        // routing reads these words, never the annotations (each annotation type read makes a proxy class)
        assertThat(UpdraftCli.WORDS).isEqualTo(annotated);
    }

    @Test
    void givenGlobalOptionsAroundTheCommand_whenParsedAlone_thenTheyLandWhereTheWholeTreePutsThem() {
        String[] line = { "--output=json", "--token", "t.o.k", "rollout", "status", "r-1", "--rollout-url",
                "http://r:1" };
        assertThat(UpdraftCli.route(line)).containsExactly(RolloutCommands.class, RolloutCommands.Show.class);
        UpdraftCli partial = cli();
        UpdraftCli full = cli();
        UpdraftCli.commandLine(partial, line).parseArgs(line);
        UpdraftCli.commandLine(full).parseArgs(line);
        assertThat(partial.output).isEqualTo(full.output).isEqualTo(UpdraftCli.Output.json);
        assertThat(partial.token).isEqualTo(full.token).isEqualTo("t.o.k");
        assertThat(partial.rolloutUrl).isEqualTo(full.rolloutUrl).isEqualTo("http://r:1");
    }

    @Test
    void givenHelpAGroupAloneOrAnUnknownWord_whenRouted_thenTheWholeTreeIsBuilt() {
        assertThat(UpdraftCli.route("release", "list")).containsExactly(ReleaseCommands.class,
                ReleaseCommands.ListReleases.class);
        assertThat(UpdraftCli.route("devices", "history", "d-1")).containsExactly(DeviceCommands.class,
                DeviceCommands.DeviceHistory.class);
        assertThat(UpdraftCli.route("--help", "release", "list")).isNull();
        assertThat(UpdraftCli.route("-h")).isNull();
        assertThat(UpdraftCli.route("release", "--help", "list")).isNull();
        assertThat(UpdraftCli.route("release")).isNull();
        assertThat(UpdraftCli.route("rollout", "bogus")).isNull();
        assertThat(UpdraftCli.route("help", "rollout")).isNull();
        assertThat(UpdraftCli.route("@args.txt")).isNull();
        assertThat(UpdraftCli.route("--token")).isNull();
        // picocli refuses a command word as an option's value; in a partial tree the word may be no command there
        assertThat(UpdraftCli.route("--token", "release", "rollout", "status", "x")).isNull();
        assertThat(UpdraftCli.route("rollout", "--token", "list", "show", "x")).isNull();
        assertThat(UpdraftCli.route("--token", "t", "rollout", "--output", "json", "show", "x"))
                .containsExactly(RolloutCommands.class, RolloutCommands.Show.class);
        assertThat(UpdraftCli.commandLine(cli(), "--help").getSubcommands().keySet())
                .containsExactly("release", "rollout", "devices", "tenants", "whoami", "help");
    }

    private static String describe(CommandLine command) {
        return command.getCommandSpec().options().stream().map(UpdraftCliTreeTest::describe)
                .collect(Collectors.joining("\n"));
    }

    private static String describe(OptionSpec option) {
        return String.join("|", option.names()) + " arity=" + option.arity() + " type=" + option.type().getName()
                + " default=" + option.defaultValue() + " scope=" + option.scopeType() + " inherited="
                + option.inherited() + " required=" + option.required() + " usageHelp=" + option.usageHelp()
                + " versionHelp=" + option.versionHelp() + " hidden=" + option.hidden() + " split=" + option.splitRegex()
                + " description=" + String.join(" ", option.description());
    }
}
