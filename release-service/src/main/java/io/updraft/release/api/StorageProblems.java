package io.updraft.release.api;

import io.updraft.release.service.storage.StorageFullException;
import io.updraft.support.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The artifact storage cannot take an upload: {@code 507 Insufficient Storage} (RFC 4918), a problem document that
 * says which release or upload it was, that storage is full and that nothing was published — so CI can tell "free
 * space and retry the same step" from a bad artifact (4xx) or a bug (500). Logged for operators: a full store stops
 * every publish.
 */
public class StorageProblems {
    static final int INSUFFICIENT_STORAGE = 507;
    private static final Logger LOG = Logger.getLogger(StorageProblems.class);

    @ServerExceptionMapper
    public Response storageFull(StorageFullException e) {
        String what = e.subject() == null ? "the upload" : e.subject();
        String why = e.reason();
        String detail = "artifact storage is full: " + what + " could not be stored (" + why + "); nothing was"
                + " stored and nothing was published. Free space in the artifact storage (the volume of"
                + " updraft.storage.dir, or the bucket), then send the same request again.";
        LOG.warnf("refused %s: artifact storage is full (%s)", what, why);
        return Response.status(INSUFFICIENT_STORAGE).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(INSUFFICIENT_STORAGE, "Insufficient Storage", detail)).build();
    }
}
