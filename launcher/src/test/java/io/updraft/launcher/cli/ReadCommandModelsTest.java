package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code release list} and {@code rollout show} run on models built without annotations (ReadCommandModels): each
 * level — root, group, command — must be what the annotations make of the same partial tree (usage text, every
 * option's and parameter's attributes, the command attributes), and what a line sets must land in the same fields.
 */
class ReadCommandModelsTest {
    private static UpdraftCli cli() {
        return UpdraftCli.detached(Path.of("."), Map.of());
    }

    @Test
    void givenReleaseList_whenBuiltByHand_thenItIsTheAnnotatedModel() {
        CommandLine byHand = UpdraftCli.commandLine(cli(), "release", "list");
        assertThat(byHand.getSubcommands().get("release").getSubcommands().get("list").getCommandSpec().userObject())
                .isInstanceOf(ReleaseCommands.ListReleases.class);
        assertSame(byHand, UpdraftCli.annotatedTree(cli(), ReleaseCommands.class, ReleaseCommands.ListReleases.class));
    }

    @Test
    void givenRolloutStatus_whenBuiltByHand_thenItIsTheAnnotatedModel() {
        CommandLine byHand = UpdraftCli.commandLine(cli(), "--output", "json", "rollout", "status", "r-1");
        assertThat(byHand.getSubcommands().get("rollout").getSubcommands().get("status").getCommandSpec().userObject())
                .isInstanceOf(RolloutCommands.Show.class);
        assertSame(byHand, UpdraftCli.annotatedTree(cli(), RolloutCommands.class, RolloutCommands.Show.class));
    }

    @Test
    void givenEveryOption_whenParsedByTheHandBuiltModels_thenTheFieldsHoldWhatTheAnnotatedModelsPutThere() {
        String[] line = { "--output=id", "--token", "t.o.k", "release", "list", "--name", "fw", "--state", "STABLE",
                "--order", "version", "--limit", "7", "--all", "--cursor", "c-1", "--url", "http://u:1",
                "--release-url", "http://r:1", "--rollout-url", "http://o:1", "--telemetry-url", "http://t:1",
                "--gateway-url", "http://g:1" };
        UpdraftCli byHand = cli();
        CommandLine.ParseResult parsed = UpdraftCli.commandLine(byHand, line).parseArgs(line);
        ReleaseCommands.ListReleases list = (ReleaseCommands.ListReleases) parsed.subcommand().subcommand()
                .commandSpec().userObject();
        assertThat(List.of(list.name, list.state, list.order, list.limit, list.paging.all, list.paging.cursor))
                .containsExactly("fw", "STABLE", "version", 7, true, "c-1");
        assertThat(List.of(byHand.output, byHand.token, byHand.url, byHand.releaseUrl, byHand.rolloutUrl,
                byHand.telemetryUrl, byHand.gatewayUrl)).containsExactly(UpdraftCli.Output.id, "t.o.k",
                        "http://u:1", "http://r:1", "http://o:1", "http://t:1", "http://g:1");
        assertThat(list.spec.commandLine().getCommandName()).isEqualTo("list");

        CommandLine.ParseResult defaults = UpdraftCli.commandLine(cli(), "release", "list").parseArgs("release",
                "list");
        ReleaseCommands.ListReleases plain = (ReleaseCommands.ListReleases) defaults.subcommand().subcommand()
                .commandSpec().userObject();
        assertThat(List.of(plain.order, plain.limit, plain.paging.all)).containsExactly("created", 100, false);
        assertThat(UpdraftCli.of(plain.spec).output).isEqualTo(UpdraftCli.Output.human);

        String[] show = { "rollout", "show", "--output", "json", "my-rollout" };
        UpdraftCli showCli = cli();
        CommandLine.ParseResult shown = UpdraftCli.commandLine(showCli, show).parseArgs(show);
        RolloutCommands.Show command = (RolloutCommands.Show) shown.subcommand().subcommand().commandSpec()
                .userObject();
        assertThat(command.rollout).isEqualTo("my-rollout");
        assertThat(showCli.output).isEqualTo(UpdraftCli.Output.json);
        assertThat(command.spec.root().userObject()).isSameAs(showCli);
    }

    private static void assertSame(CommandLine byHand, CommandLine annotated) {
        List<String> compared = new ArrayList<>();
        compare(byHand, annotated, compared);
        assertThat(compared).hasSize(3);
    }

    private static void compare(CommandLine byHand, CommandLine annotated, List<String> compared) {
        String name = annotated.getCommandSpec().qualifiedName();
        compared.add(name);
        assertThat(byHand.getUsageMessage(CommandLine.Help.Ansi.OFF)).as("usage of %s", name)
                .isEqualTo(annotated.getUsageMessage(CommandLine.Help.Ansi.OFF));
        assertThat(describe(byHand.getCommandSpec())).as("model of %s", name)
                .isEqualTo(describe(annotated.getCommandSpec()));
        assertThat(byHand.getSubcommands().keySet()).as("subcommands of %s", name)
                .containsExactlyElementsOf(annotated.getSubcommands().keySet());
        Iterator<CommandLine> hand = byHand.getSubcommands().values().iterator();
        for (CommandLine sub : annotated.getSubcommands().values()) {
            CommandLine next = hand.next();
            if (sub.getCommandName().equals(sub.getCommandSpec().name())
                    && !compared.contains(sub.getCommandSpec().qualifiedName())) {
                compare(next, sub, compared);
            }
        }
    }

    private static String describe(CommandSpec spec) {
        StringBuilder model = new StringBuilder("name=" + spec.name() + " aliases=" + Arrays.toString(spec.aliases())
                + " scope=" + spec.scopeType() + " inherited=" + spec.inherited() + " exit="
                + spec.exitCodeOnInvalidInput() + "/" + spec.exitCodeOnExecutionException() + " version="
                + Arrays.toString(spec.version()) + " mixins=" + spec.mixins().keySet() + " helpCommand="
                + spec.helpCommand() + " caseInsensitiveEnums=" + spec.parser().caseInsensitiveEnumValuesAllowed()
                + " description=" + Arrays.toString(spec.usageMessage().description()) + "\n");
        for (OptionSpec option : spec.options()) {
            model.append(String.join("|", option.names())).append(" usageHelp=").append(option.usageHelp())
                    .append(" versionHelp=").append(option.versionHelp()).append(" negatable=")
                    .append(option.negatable()).append(" fallback=").append(option.fallbackValue()).append(' ')
                    .append(describe(option)).append('\n');
        }
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            model.append("index=").append(positional.index()).append(' ').append(describe(positional)).append('\n');
        }
        return model.toString();
    }

    private static String describe(ArgSpec arg) {
        return "label=" + arg.paramLabel() + " arity=" + arg.arity() + " type=" + arg.type().getName() + " aux="
                + Arrays.toString(arg.auxiliaryTypes()) + " default=" + arg.defaultValue() + " initial="
                + arg.initialValue() + " scope=" + arg.scopeType() + " inherited=" + arg.inherited() + " required="
                + arg.required() + " hidden=" + arg.hidden() + " split=" + arg.splitRegex() + " interactive="
                + arg.interactive() + " description=" + String.join(" ", arg.description());
    }
}
