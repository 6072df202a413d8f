package io.updraft.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code updraft} command lines of a CI document, as argument lists: the shell of a Markdown file's fenced code
 * blocks or of every string in a YAML file (so GitLab's folded multi-line commands come out as one line), split into
 * simple commands the way a POSIX shell would — quotes, {@code \}-newline, comments, {@code ;}, {@code &&},
 * {@code |}, and {@code $(…)}, whose inner commands are read too. A variable or a substitution becomes {@code X}.
 */
final class CiCommandLines {
    private static final Pattern FENCE = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```");

    private CiCommandLines() {
    }

    static List<List<String>> in(Path file) throws IOException {
        String text = Files.readString(file);
        List<String> shell = new ArrayList<>();
        if (file.toString().endsWith(".md")) {
            Matcher block = FENCE.matcher(text);
            while (block.find()) {
                shell.add(block.group(1));
            }
        } else {
            strings(new ObjectMapper(new YAMLFactory()).readTree(text), shell);
        }
        List<List<String>> lines = new ArrayList<>();
        shell.forEach(script -> lines.addAll(of(script)));
        return lines;
    }

    /** The arguments after {@code ./updraft}, {@code updraft} or {@code java -jar …updraft-cli.jar} in a script. */
    static List<List<String>> of(String script) {
        List<List<String>> commands = new ArrayList<>();
        new Reader(script.replace("\\\n", " "), commands).commands();
        List<List<String>> updraft = new ArrayList<>();
        for (List<String> words : commands) {
            int start = words.size() >= 3 && words.get(0).equals("java") && words.get(1).equals("-jar")
                    && words.get(2).endsWith("updraft-cli.jar") ? 3
                    : !words.isEmpty() && (words.get(0).equals("./updraft") || words.get(0).equals("updraft")) ? 1
                    : -1;
            if (start > 0) {
                updraft.add(List.copyOf(words.subList(start, words.size())));
            }
        }
        return updraft;
    }

    private static void strings(JsonNode node, List<String> into) {
        if (node.isTextual()) {
            into.add(node.asText());
        }
        node.forEach(child -> strings(child, into));
    }

    /** A small shell reader: enough of POSIX sh for CI scripts, not a shell. */
    private static final class Reader {
        private final String text;
        private final List<List<String>> commands;
        private int at;

        Reader(String text, List<List<String>> commands) {
            this.text = text;
            this.commands = commands;
        }

        void commands() {
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == ' ' || c == '\t') {
                    word = end(words, word);
                    at++;
                } else if (c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
                    word = end(words, word);
                    command(words);
                    words = new ArrayList<>();
                    at++;
                } else if (c == '#' && word == null) {
                    while (at < text.length() && text.charAt(at) != '\n') {
                        at++;
                    }
                } else {
                    word = word == null ? new StringBuilder() : word;
                    piece(word);
                }
            }
            end(words, word);
            command(words);
        }

        /** One piece of a word: a quoted string, a variable, a substitution or one character. */
        private void piece(StringBuilder word) {
            char c = text.charAt(at);
            if (c == '\'') {
                int close = text.indexOf('\'', at + 1);
                word.append(text, at + 1, close);
                at = close + 1;
            } else if (c == '"') {
                at++;
                while (text.charAt(at) != '"') {
                    if (text.charAt(at) == '\\') {
                        word.append(text.charAt(at + 1));
                        at += 2;
                    } else if (text.charAt(at) == '$') {
                        dollar(word);
                    } else {
                        word.append(text.charAt(at++));
                    }
                }
                at++;
            } else if (c == '$') {
                dollar(word);
            } else if (c == '\\') {
                word.append(text.charAt(at + 1));
                at += 2;
            } else {
                word.append(c);
                at++;
            }
        }

        /** {@code $(…)} (its commands read as well), {@code ${…}}, {@code $NAME}, {@code $?}: all become X. */
        private void dollar(StringBuilder word) {
            at++;
            if (at < text.length() && text.charAt(at) == '(') {
                int close = closing(at);
                new Reader(text.substring(at + 1, close), commands).commands();
                at = close + 1;
            } else if (at < text.length() && text.charAt(at) == '{') {
                at = text.indexOf('}', at) + 1;
            } else {
                int start = at;
                while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                    at++;
                }
                if (at == start && at < text.length()) {
                    at++; // $? $$ $1
                }
            }
            word.append('X');
        }

        /** The {@code )} that closes the {@code (} at {@code open}, skipping quoted text and nested parentheses. */
        private int closing(int open) {
            int depth = 0;
            for (int i = open; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\'' || c == '"') {
                    i = text.indexOf(c, i + 1);
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return i;
                }
            }
            throw new IllegalArgumentException("unbalanced $( in: " + text);
        }

        private static StringBuilder end(List<String> words, StringBuilder word) {
            if (word != null) {
                words.add(word.toString());
            }
            return null;
        }

        private void command(List<String> words) {
            if (!words.isEmpty()) {
                commands.add(List.copyOf(words));
            }
        }
    }
}
