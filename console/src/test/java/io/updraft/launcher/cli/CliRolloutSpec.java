package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.launcher.UpdraftApi;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * What the real CLI makes of an {@code updraft rollout create …} line (test support for the console's wizard): the
 * line is split as a POSIX shell splits it (single quotes, {@code '\''}, backslash-newline continuations), the
 * arguments are parsed by the CLI's own {@code rollout create} command (picocli, its converters), and the body it
 * would POST is returned. A line the CLI refuses throws picocli's exception.
 */
public final class CliRolloutSpec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliRolloutSpec() {
    }

    public static JsonNode createBody(String commandLine, UpdraftApi api) {
        List<String> words = shellWords(commandLine);
        if (words.size() < 3 || !words.subList(0, 3).equals(List.of("updraft", "rollout", "create"))) {
            throw new IllegalArgumentException("not an `updraft rollout create` line: " + commandLine);
        }
        RolloutCommands.Create create = new RolloutCommands.Create();
        new CommandLine(create).parseArgs(words.subList(3, words.size()).toArray(String[]::new));
        return JSON.valueToTree(create.rollout.body(api).named(create.name));
    }

    /** Words of a shell line with single quotes and backslashes (what the wizard writes); double quotes too. */
    public static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated quote in " + line);
                }
                word = word == null ? new StringBuilder() : word;
                word.append(line, i + 1, end);
                i = end;
            } else if (c == '"') {
                word = word == null ? new StringBuilder() : word;
                for (i++; i < line.length() && line.charAt(i) != '"'; i++) {
                    if (line.charAt(i) == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    word.append(line.charAt(i));
                }
            } else if (c == '\\' && i + 1 < line.length()) {
                char next = line.charAt(++i);
                if (next != '\n') {
                    word = word == null ? new StringBuilder() : word;
                    word.append(next);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
