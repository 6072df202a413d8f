package io.updraft.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The CI examples in docs/ci use only command lines that the CLI takes: each {@code ./updraft …}, {@code updraft …}
 * and {@code java -jar updraft-cli.jar …} line found in them is parsed by the real picocli command tree (nothing
 * runs), so an unknown command or option, or a value the CLI refuses, fails this test. Their exit-code lists name
 * every code of {@code rollout watch}.
 */
class CiDocsCommandLinesTest {
    private static final Path CI = repositoryRoot().resolve("docs/ci");
    private static final List<String> WATCH_CODES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "64");

    @Test
    void everyCommandLineOfTheCiDocsParses() throws IOException {
        List<String> checked = new ArrayList<>();
        for (String file : List.of("README.md", "github-actions.yml", "gitlab-ci.yml")) {
            List<List<String>> lines = CiCommandLines.in(CI.resolve(file));
            // a floor, so that an extractor that finds nothing cannot pass: every file publishes, creates, watches
            assertThat(lines.stream().map(l -> String.join(" ", l))).as(file)
                    .anyMatch(l -> l.contains("release publish")).anyMatch(l -> l.contains("rollout create"))
                    .anyMatch(l -> l.contains("rollout watch"));
            for (List<String> args : lines) {
                assertParses(file, args);
                checked.add(file + ": " + String.join(" ", args));
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void everyCommandLineOfTheTopReadmesCiFlowParses() throws IOException {
        List<List<String>> lines = CiCommandLines.in(repositoryRoot().resolve("README.md"));
        assertThat(lines.stream().map(l -> String.join(" ", l)))
                .anyMatch(l -> l.contains("release publish")).anyMatch(l -> l.contains("rollout create"))
                .anyMatch(l -> l.contains("--rollback-rule")).anyMatch(l -> l.contains("rollout history"));
        for (List<String> args : lines) {
            assertParses("README.md", args);
        }
    }

    @Test
    void theCiDocsListEveryExitCodeOfRolloutWatch() throws IOException {
        String readme = Files.readString(CI.resolve("README.md"));
        for (String code : WATCH_CODES) {
            assertThat(readme).as("README row for exit " + code).containsPattern("(?m)^\\| " + code + " \\| \\S");
        }
        for (String file : List.of("github-actions.yml", "gitlab-ci.yml")) {
            String comments = Files.readAllLines(CI.resolve(file)).stream().map(String::strip)
                    .filter(line -> line.startsWith("#")).collect(Collectors.joining(" "));
            String list = comments.substring(comments.indexOf("# exit 0 "));
            for (String code : WATCH_CODES.subList(1, WATCH_CODES.size())) {
                assertThat(list).as(file + " exit " + code).contains("· " + code + " ");
            }
        }
    }

    @Test
    void givenALineWithAnOptionTheCliDoesNotHave_whenChecked_thenItFails() {
        List<List<String>> lines = CiCommandLines.of("""
                ROLLOUT=$(./updraft --output id rollout create --release "gw@$VERSION" \\
                    --waves 5,100)   # fine
                ./updraft rollout watch "$ROLLOUT" --timeout-after PT4H; echo "exit $?"
                """);

        assertThat(lines).containsExactly(
                List.of("--output", "id", "rollout", "create", "--release", "gw@X", "--waves", "5,100"),
                List.of("rollout", "watch", "X", "--timeout-after", "PT4H"));
        assertParses("inline", lines.get(0));
        assertThatThrownBy(() -> assertParses("inline", lines.get(1)))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class).hasMessageContaining("--timeout-after");
        assertThatThrownBy(() -> assertParses("inline", List.of("rollout", "wach", "x")))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
        assertThatThrownBy(() -> assertParses("inline", List.of("rollout", "watch", "x", "--timeout", "4 hours")))
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    /** A launcher command takes no arguments but --help; a CLI line must parse and reach a command that runs. */
    private static void assertParses(String file, List<String> args) {
        String command = io.updraft.launcher.UpdraftCommandWord.of(args);
        if (io.updraft.launcher.UpdraftCommandWord.isLauncherCommand(command)) {
            assertThat(args.subList(1, args.size())).as(file + ": " + args).allMatch(a -> a.equals("--help"));
            return;
        }
        CommandLine.ParseResult parsed = UpdraftCliTree.parse(args.toArray(String[]::new));
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        assertThat(parsed.commandSpec().userObject()).as(file + ": " + args + " names no command that runs")
                .isInstanceOf(Callable.class);
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("docs/ci"))) {
            dir = dir.getParent();
        }
        return dir;
    }
}
