package io.stowage.upload.rest;

import io.stowage.contract.SharedErrorCode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.stowage.upload.error.UploadException;
import io.stowage.upload.multipart.MultipartUploads;
import io.stowage.upload.auth.Caller;
import io.stowage.upload.presigned.UrlRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.List;

/** Multipart uploads: init, presigned part URLs, list parts (resume), complete, abort. Registration is {@code POST /v1/files}. */
@Path("/v1/files/multipart")
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class MultipartResource {

    public record InitRequest(String bucket, String path, String contentType, Long size, Long partSize, String visibility) {
    }

    public record PartUrlsRequest(String uploadId, List<Integer> partNumbers) {
    }

    public record PartUrlsResponse(String uploadId, List<MultipartUploads.PartUrl> parts) {
    }

    public record CompleteRequest(String uploadId, List<MultipartUploads.PartEtag> parts) {
    }

    public record AbortRequest(String uploadId) {
    }

    private final MultipartUploads multipart;
    private final JsonWebToken token;

    public MultipartResource(MultipartUploads multipart, JsonWebToken token) {
        this.multipart = multipart;
        this.token = token;
    }

    @POST
    @Path("/init")
    public Uni<MultipartUploads.Init> init(InitRequest request, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (request == null) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "a JSON body is required");
        }
        UrlRequest checked = FileUploadResource.validate(new PresignedUrlRequest(request.bucket(), request.path(),
                request.contentType(), request.size(), request.visibility()));
        return multipart.init(caller(authorization), checked.bucket(), checked.path(), checked.contentType(), checked.size(),
                request.partSize(), checked.visibility());
    }

    @POST
    @Path("/presigned-url")
    public Uni<PartUrlsResponse> partUrls(PartUrlsRequest request, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String uploadId = requireUploadId(request == null ? null : request.uploadId());
        return multipart.partUrls(caller(authorization), uploadId, request.partNumbers())
                .map(parts -> new PartUrlsResponse(uploadId, parts));
    }

    @GET
    @Path("/{uploadId}/parts")
    public Uni<MultipartUploads.ListedParts> parts(@PathParam("uploadId") String uploadId,
                                                   @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return multipart.parts(caller(authorization), uploadId);
    }

    @POST
    @Path("/complete")
    public Uni<MultipartUploads.Completed> complete(CompleteRequest request,
                                                   @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String uploadId = requireUploadId(request == null ? null : request.uploadId());
        return multipart.complete(caller(authorization), uploadId, request.parts());
    }

    @POST
    @Path("/abort")
    public Uni<Response> abort(AbortRequest request, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String uploadId = requireUploadId(request == null ? null : request.uploadId());
        return multipart.abort(caller(authorization), uploadId).map(done -> Response.noContent().build());
    }

    private Caller caller(String authorization) {
        String subject = Caller.subjectOf(token);
        if (subject == null) {
            // an anon key: uploads belong to someone
            throw new UploadException(SharedErrorCode.Unauthorized, "uploading needs a signed-in user's token");
        }
        return new Caller(subject, authorization);
    }

    private static String requireUploadId(String uploadId) {
        if (uploadId == null || uploadId.isBlank()) {
            throw new UploadException(SharedErrorCode.InvalidRequest, "uploadId is required");
        }
        return uploadId;
    }
}
