package io.updraft.launcher.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code updraft whoami}: the token the CLI would send, where it came from, and what it says — subject, tenant
 * (whose releases, rollouts and devices every command reaches, ADR 0021), roles, expiry. Read from the token without a
 * call: the services decide what it is worth.
 */
@Command(name = "whoami", description = "The token the CLI sends: where from, subject, tenant, roles, expiry (no"
        + " call; the services check it).")
final class WhoAmI implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        UpdraftCli cli = UpdraftCli.of(spec);
        Printer printer = cli.printer(spec);
        String token = cli.token();
        TokenClaims claims = TokenClaims.of(token);
        if (claims == null) {
            throw new IllegalStateException("the token (" + cli.tokenSource() + ") is no JWT: nothing to show");
        }
        if (printer.json()) {
            var node = io.updraft.launcher.UpdraftApi.object();
            node.put("source", cli.tokenSource());
            node.put("subject", claims.subject());
            if (claims.tenant() == null) {
                node.putNull("tenant");
            } else {
                node.put("tenant", claims.tenant().toUpperCase(java.util.Locale.ROOT));
            }
            claims.roles().forEach(node.putArray("roles")::add);
            if (claims.expires() == null) {
                node.putNull("expiresAt");
            } else {
                node.put("expiresAt", claims.expires().toString());
            }
            printer.json(node);
            return 0;
        }
        printer.line("token    " + cli.tokenSource());
        printer.line("subject  " + (claims.subject() == null ? "-" : claims.subject()));
        printer.line("tenant   " + claims.tenantShown());
        printer.line("roles    " + (claims.roles().isEmpty() ? "none" : String.join(", ", claims.roles())));
        printer.line("expires  " + (claims.expires() == null ? "never (no exp claim)" : claims.expires()));
        return 0;
    }
}
