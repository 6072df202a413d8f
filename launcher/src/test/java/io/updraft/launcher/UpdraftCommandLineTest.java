package io.updraft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 16 (CLI rough edges): the documented CI line {@code ./updraft --output id rollout create …} printed the usage
 * and failed, because the command was read only from the first argument; {@code ./updraft up --help} started the
 * stack.
 */
class UpdraftCommandLineTest {

    @Test
    void global_options_may_stand_before_the_command() {
        assertThat(Updraft.commandOf(new String[] { "--output", "id", "rollout", "create", "--release", "x" }))
                .isEqualTo("rollout");
        assertThat(Updraft.commandOf(new String[] { "--output=json", "--rollout-url", "http://h:1", "release",
                "list" })).isEqualTo("release");
        assertThat(Updraft.commandOf(new String[] { "rollout", "watch", "r1", "--output", "id" })).isEqualTo("rollout");
        assertThat(Updraft.commandOf(new String[] { "up" })).isEqualTo("up");
        assertThat(Updraft.commandOf(new String[] { "--token", "eyJ.x.y", "devices", "list" })).isEqualTo("devices");
    }

    @Test
    void no_command_or_only_options_is_help() {
        assertThat(Updraft.commandOf(new String[0])).isEqualTo("help");
        assertThat(Updraft.commandOf(new String[] { "--output", "id" })).isEqualTo("help");
        assertThat(Updraft.commandOf(new String[] { "--output" })).isEqualTo("help");
    }

    @Test
    void help_on_a_launcher_command_is_asked_for_not_a_start() {
        String[] upHelp = { "up", "--help" };
        assertThat(Updraft.LAUNCHER_COMMANDS).contains(Updraft.commandOf(upHelp));
        assertThat(Updraft.asksForHelp(upHelp)).isTrue();
        assertThat(Updraft.asksForHelp(new String[] { "demo", "-h" })).isTrue();
        assertThat(Updraft.asksForHelp(new String[] { "up" })).isFalse();
        assertThat(Updraft.help(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), 0)).isZero();
    }
}
