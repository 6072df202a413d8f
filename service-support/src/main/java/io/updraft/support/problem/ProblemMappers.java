package io.updraft.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** One error shape for every service: {@code application/problem+json}. */
public class ProblemMappers {

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

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String lastNode(String path) {
        // "create.request.version" -> "version": the method and parameter names mean nothing to a client
        String[] nodes = path.split("\\.");
        return nodes.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(nodes, 2, nodes.length)) : path;
    }
}
