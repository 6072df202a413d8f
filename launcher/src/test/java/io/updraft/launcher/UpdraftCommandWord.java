package io.updraft.launcher;

import java.util.List;

/** For tests outside this package: the launcher's reading of a command line. */
public final class UpdraftCommandWord {
    private UpdraftCommandWord() {
    }

    public static String of(List<String> args) {
        return Updraft.commandOf(args.toArray(String[]::new));
    }

    public static boolean isLauncherCommand(String command) {
        return Updraft.LAUNCHER_COMMANDS.contains(command);
    }
}
