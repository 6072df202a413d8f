package io.updraft.launcher.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ScopeType;

/**
 * The picocli models of the two calls scripts and operators make most, {@code release list} and {@code rollout show}
 * (alias {@code status}), built through picocli's programmatic API: the root, the group and the command, each option
 * bound to its field by a setter written here. Built from the annotations, the same model costs a call ~90 ms:
 * picocli reflects over the classes' fields and the JDK generates a proxy class for each annotation type it reads
 * (7 a call, made at run time, so no class-data-sharing archive can hold them). The annotations stay the CLI's
 * definition — every other call, and help, builds from them — and {@code ReadCommandModelsTest} checks these models
 * against the annotated ones: usage text, every option's and parameter's attributes, the command attributes.
 */
final class ReadCommandModels {
    private ReadCommandModels() {
    }

    /** {@code updraft release list}: the root, {@code release} and {@code list} only, like the routed partial tree. */
    static CommandLine releaseList(UpdraftCli cli) {
        ReleaseCommands.ListReleases list = new ReleaseCommands.ListReleases();
        CursorOptions paging = new CursorOptions();
        list.paging = paging;
        CommandSpec command = CommandSpec.wrapWithoutInspection(list).name("list");
        command.usageMessage().description("Releases, newest first (or by SemVer with --order version).");
        command.addOption(option("--name", String.class, "<name>", null, "only this release name",
                new Binding() {
                    @Override
                    Object get() {
                        return list.name;
                    }

                    @Override
                    void set(Object value) {
                        list.name = (String) value;
                    }
                }));
        command.addOption(option("--state", String.class, "<state>", null, "DRAFT, PUBLISHED, STABLE or REVOKED",
                new Binding() {
                    @Override
                    Object get() {
                        return list.state;
                    }

                    @Override
                    void set(Object value) {
                        list.state = (String) value;
                    }
                }));
        command.addOption(option("--order", String.class, "<order>", "created",
                "created (default) or version (needs --name; not with --all or --cursor)", new Binding() {
                    @Override
                    Object get() {
                        return list.order;
                    }

                    @Override
                    void set(Object value) {
                        list.order = (String) value;
                    }
                }));
        command.addOption(option("--limit", int.class, "<limit>", "100",
                "releases per page (default 100, at most 500)", new Binding() {
                    @Override
                    Object get() {
                        return list.limit;
                    }

                    @Override
                    void set(Object value) {
                        list.limit = (Integer) value;
                    }
                }));
        CommandSpec mixin = CommandSpec.wrapWithoutInspection(paging);
        Binding all = new Binding() {
            @Override
            Object get() {
                return paging.all;
            }

            @Override
            void set(Object value) {
                paging.all = (Boolean) value;
            }
        };
        mixin.addOption(OptionSpec.builder("--all").type(boolean.class).arity("0").paramLabel("<all>")
                .description("follow the cursor to the last page: every row, however many (printed as the pages"
                        + " arrive; --output json prints one array of them all)")
                .initialValue(all.get()).setter(all.setter()).getter(all.getter()).build());
        mixin.addOption(option("--cursor", String.class, "CURSOR", null,
                "the page after this cursor (what the previous page printed as next)", new Binding() {
                    @Override
                    Object get() {
                        return paging.cursor;
                    }

                    @Override
                    void set(Object value) {
                        paging.cursor = (String) value;
                    }
                }));
        command.addMixin("paging", mixin);
        list.spec = command;
        return line(cli, "release", "Publish, list, show, promote and revoke releases.", command);
    }

    /** {@code updraft rollout show} (alias {@code status}): the root, {@code rollout} and {@code show} only. */
    static CommandLine rolloutShow(UpdraftCli cli) {
        RolloutCommands.Show show = new RolloutCommands.Show();
        CommandSpec command = CommandSpec.wrapWithoutInspection(show).name("show").aliases("status");
        command.usageMessage().description("A rollout (id or name): waves, cohorts, rollback installs.");
        Binding rollout = new Binding() {
            @Override
            Object get() {
                return show.rollout;
            }

            @Override
            void set(Object value) {
                show.rollout = (String) value;
            }
        };
        command.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).type(String.class)
                .paramLabel("ROLLOUT").description("rollout id or name").initialValue(rollout.get()).setter(rollout.setter())
                .getter(rollout.getter()).build());
        show.spec = command;
        return line(cli, "rollout", "Create, follow and control staged rollouts.", command);
    }

    /** The root with its global options, holding {@code group} holding {@code command}. */
    private static CommandLine line(UpdraftCli cli, String group, String groupDescription, CommandSpec command) {
        CommandSpec root = CommandSpec.wrapWithoutInspection(cli).name("updraft").version("updraft 0.1.0")
                .scopeType(ScopeType.INHERIT).exitCodeOnInvalidInput(UpdraftCli.USAGE).exitCodeOnExecutionException(1);
        root.usageMessage().description("Publish releases, run and watch rollouts, list devices, manage tenants"
                + " (token: UPDRAFT_TOKEN; updraft whoami shows whose it is).");
        root.addOption(flag("-h", "--help", "<help>", "print this help and exit", true, new Binding() {
            @Override
            Object get() {
                return cli.help;
            }

            @Override
            void set(Object value) {
                cli.help = (Boolean) value;
            }
        }));
        root.addOption(flag("-V", "--version", "<versionHelp>", "print the CLI's version and exit", false,
                new Binding() {
                    @Override
                    Object get() {
                        return cli.versionHelp;
                    }

                    @Override
                    void set(Object value) {
                        cli.versionHelp = (Boolean) value;
                    }
                }));
        root.addOption(global("--output", UpdraftCli.Output.class, "<output>", "human",
                "human (default), json (the API's documents) or id (ids only, one per line)", new Binding() {
                    @Override
                    Object get() {
                        return cli.output;
                    }

                    @Override
                    void set(Object value) {
                        cli.output = (UpdraftCli.Output) value;
                    }
                }));
        root.addOption(global("--url", String.class, "URL", null,
                "one origin serving every management API (env UPDRAFT_URL); a service's own --…-url wins",
                new Binding() {
                    @Override
                    Object get() {
                        return cli.url;
                    }

                    @Override
                    void set(Object value) {
                        cli.url = (String) value;
                    }
                }));
        root.addOption(global("--release-url", String.class, "<releaseUrl>", null,
                "release-service URL (env UPDRAFT_RELEASE_URL; default: ./updraft up's, else http://localhost:8081)",
                new Binding() {
                    @Override
                    Object get() {
                        return cli.releaseUrl;
                    }

                    @Override
                    void set(Object value) {
                        cli.releaseUrl = (String) value;
                    }
                }));
        root.addOption(global("--rollout-url", String.class, "<rolloutUrl>", null,
                "rollout-service URL (env UPDRAFT_ROLLOUT_URL; default: ./updraft up's, else http://localhost:8082)",
                new Binding() {
                    @Override
                    Object get() {
                        return cli.rolloutUrl;
                    }

                    @Override
                    void set(Object value) {
                        cli.rolloutUrl = (String) value;
                    }
                }));
        root.addOption(global("--telemetry-url", String.class, "<telemetryUrl>", null,
                "telemetry-service URL (env UPDRAFT_TELEMETRY_URL; default: ./updraft up's, else"
                        + " http://localhost:8084)", new Binding() {
                    @Override
                    Object get() {
                        return cli.telemetryUrl;
                    }

                    @Override
                    void set(Object value) {
                        cli.telemetryUrl = (String) value;
                    }
                }));
        root.addOption(global("--gateway-url", String.class, "<gatewayUrl>", null,
                "device-gateway URL (env UPDRAFT_GATEWAY_URL; default: ./updraft up's, else http://localhost:8083)",
                new Binding() {
                    @Override
                    Object get() {
                        return cli.gatewayUrl;
                    }

                    @Override
                    void set(Object value) {
                        cli.gatewayUrl = (String) value;
                    }
                }));
        root.addOption(global("--token", String.class, "JWT", null,
                "bearer token for the APIs (overrides env UPDRAFT_TOKEN)", new Binding() {
                    @Override
                    Object get() {
                        return cli.token;
                    }

                    @Override
                    void set(Object value) {
                        cli.token = (String) value;
                    }
                }));
        CommandSpec groupSpec = CommandSpec.create().name(group);
        groupSpec.usageMessage().description(groupDescription);
        CommandLine rootLine = new CommandLine(root);
        CommandLine groupLine = new CommandLine(groupSpec);
        groupLine.addSubcommand(new CommandLine(command));
        rootLine.addSubcommand(groupLine);
        return rootLine;
    }

    private static OptionSpec option(String name, Class<?> type, String label, String defaultValue,
            String description, Binding binding) {
        return OptionSpec.builder(name).type(type).paramLabel(label).defaultValue(defaultValue)
                .description(description).initialValue(binding.get()).setter(binding.setter()).getter(binding.getter()).build();
    }

    private static OptionSpec global(String name, Class<?> type, String label, String defaultValue,
            String description, Binding binding) {
        return OptionSpec.builder(name).type(type).paramLabel(label).defaultValue(defaultValue)
                .description(description).scopeType(ScopeType.INHERIT).initialValue(binding.get()).setter(binding.setter())
                .getter(binding.getter()).build();
    }

    private static OptionSpec flag(String shortName, String longName, String label, String description,
            boolean usageHelp, Binding binding) {
        return OptionSpec.builder(shortName, longName).type(boolean.class).arity("0").paramLabel(label)
                .usageHelp(usageHelp).versionHelp(!usageHelp).description(description).initialValue(binding.get()).setter(binding.setter())
                .getter(binding.getter()).build();
    }

    /**
     * One field, read and written by plain code (no reflection); an anonymous subclass per field, not a lambda:
     * the first lambda of a call costs the JDK's method-handle start-up.
     */
    private abstract static class Binding {
        abstract Object get();

        abstract void set(Object value);

        ISetter setter() {
            return new ISetter() {
                @Override
                @SuppressWarnings("unchecked")
                public <T> T set(T value) {
                    T previous = (T) Binding.this.get();
                    Binding.this.set(value);
                    return previous;
                }
            };
        }

        IGetter getter() {
            return new IGetter() {
                @Override
                @SuppressWarnings("unchecked")
                public <T> T get() {
                    return (T) Binding.this.get();
                }
            };
        }
    }
}
