package io.stowage.upload.rest;

import io.stowage.contract.SharedErrorCode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.stowage.names.NameRules;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.auth.Caller;
import io.stowage.contract.MediaTypes;
import io.stowage.upload.presigned.PresignedUploads;
import io.stowage.upload.presigned.UrlRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/** bkend's presigned upload: ask for a URL, PUT to S3, register. */
@Path("/v1/files")
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FileUploadResource {

    static final Set<String> VISIBILITIES = Set.of("public", "private", "protected", "shared");

    private final PresignedUploads uploads;
    private final JsonWebToken token;

    public FileUploadResource(PresignedUploads uploads, JsonWebToken token) {
        this.uploads = uploads;
        this.token = token;
    }

    @POST
    @Path("/presigned-url")
    public Uni<PresignedUrlResponse> presignedUrl(PresignedUrlRequest request,
                                                  @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        UrlRequest checked = validate(request);
        return uploads.issueUrl(caller(authorization), checked)
                .map(issued -> new PresignedUrlResponse(issued.uploadId(), issued.url(), issued.method(),
                        issued.headers(), issued.expiresAt()));
    }

    @POST
    public Uni<Response> register(RegisterRequest request,
                                  @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (request == null || request.uploadId() == null || request.uploadId().isBlank()) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "uploadId is required");
        }
        checkVisibility(request.visibility());
        return uploads.register(caller(authorization), request.uploadId(), request.visibility())
                .map(registration -> Response.status(registration.status())
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(registration.fileJson())
                        .build());
    }

    private Caller caller(String authorization) {
        String subject = Caller.subjectOf(token);
        if (subject == null) {
            // an anon key: uploads belong to someone
            throw new UploadException(SharedErrorCode.Unauthorized, "uploading needs a signed-in user's token");
        }
        return new Caller(subject, authorization);
    }

    static UrlRequest validate(PresignedUrlRequest request) {
        if (request == null) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "a JSON body is required");
        }
        String bucket = NameRules.requireBucket(request.bucket());
        String path = NameRules.requireObject(request.path());
        if (!MediaTypes.isValid(request.contentType())) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "contentType must be a media type such as image/png");
        }
        if (request.size() == null || request.size() < 0) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "size is required and must not be negative");
        }
        checkVisibility(request.visibility());
        return new UrlRequest(bucket, path, request.contentType(), request.size(), request.visibility());
    }

    private static void checkVisibility(String visibility) {
        if (visibility != null && !VISIBILITIES.contains(visibility)) {
            throw new UploadException(SharedErrorCode.InvalidRequest,
                    "visibility must be one of public, private, protected, shared");
        }
    }
}
