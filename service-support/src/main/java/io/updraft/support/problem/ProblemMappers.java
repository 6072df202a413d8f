package io.updraft.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.arc.ArcUndeclaredThrowableException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.updraft.support.persistence.DatabaseUnavailable;
import jakarta.persistence.PersistenceException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** One error shape for every service: {@code application/problem+json}. */
public class ProblemMappers {
    /** How long a client told the database is away should wait before it asks again. */
    static final int DATABASE_RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(Problem.of(e.status(), e.title(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.Violation> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        return respond(new Problem("about:blank", "Invalid request", 400,
                errors.size() + " field(s) are invalid", null, errors));
    }

    @ServerExceptionMapper(priority = 1)
    public Response unreadable(MismatchedInputException e) {
        String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> a + "." + b).orElse("body");
        return respond(new Problem("about:blank", "Unreadable request body", 400,
                "field '" + field + "' has the wrong type or is missing", null, List.of()));
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return respond(Problem.of(400, "Unreadable request body", "the body is not valid JSON: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (original.hasEntity() && original.getMediaType() != null) {
            return original;
        }
        String title = original.getStatusInfo().getReasonPhrase();
        Response.ResponseBuilder builder = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, title, e.getMessage() == null ? title : e.getMessage()));
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    /**
     * No or an invalid credential for a secured resource. Services authenticate lazily
     * ({@code quarkus.http.auth.proactive=false}), so these reach the mappers instead of an empty 401 from Vert.x.
     */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return Response.fromResponse(respond(Problem.of(401, "Unauthorized",
                "a valid 'Authorization: Bearer <token>' is required"))).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return Response.fromResponse(respond(Problem.of(401, "Unauthorized",
                "the bearer token is not valid (signature, issuer, audience or expiry)")))
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "Forbidden", "the token's roles do not allow this request"));
    }

    /**
     * The database could not be reached (stopped, restarting, no free connection in time): 503 with Retry-After, so
     * a device or a CI job comes back instead of counting an error. Any other persistence failure is a bug or a
     * conflict nobody mapped: it stays a 500, logged with its stack trace.
     */
    @ServerExceptionMapper
    public Response persistence(PersistenceException e) {
        return databaseOr500(e);
    }

    /**
     * A checked exception a CDI interceptor had to wrap — above all a {@code @Transactional} commit that failed
     * (Narayana's {@code RollbackException}). When the database went away under the commit it is the same outage as
     * above (503 + Retry-After); anything else stays a 500, logged with its stack trace.
     */
    @ServerExceptionMapper
    public Response undeclared(ArcUndeclaredThrowableException e) {
        return databaseOr500(e);
    }

    private static Response databaseOr500(RuntimeException e) {
        if (!DatabaseUnavailable.causes(e)) {
            LOG.error("request failed on the database", e);
            return respond(Problem.of(500, "Internal Server Error", "the request failed; the service log has why"));
        }
        LOG.warnf("database unavailable, answering 503: %s", e.getMessage());
        return Response.fromResponse(respond(Problem.of(503, "Service Unavailable", "the database cannot be reached"
                + " just now; retry after " + DATABASE_RETRY_AFTER_SECONDS + " s")))
                .header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS).build();
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String lastNode(String path) {
        // "create.request.version" -> "version": the method and parameter names mean nothing to a client
        String[] nodes = path.split("\\.");
        return nodes.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(nodes, 2, nodes.length)) : path;
    }
}
