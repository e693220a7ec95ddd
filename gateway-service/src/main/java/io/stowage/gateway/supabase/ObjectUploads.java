package io.stowage.gateway.supabase;

import io.stowage.contract.SharedErrorCode;
import static io.stowage.gateway.supabase.SupabaseRequests.json;
import static io.stowage.gateway.supabase.SupabaseRequests.refuseBody;
import static io.stowage.gateway.supabase.SupabaseRequests.rid;

import io.stowage.gateway.client.UploadClient;
import io.stowage.gateway.client.UploadClient.Upload;
import io.stowage.gateway.client.UploadClient.Uploader;
import io.stowage.gateway.errors.ErrorResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The bytes of a Supabase upload, streamed to upload-service: a raw body ({@code Content-Type},
 * {@code Cache-Control}, {@code x-metadata}) or the file part of a {@code multipart/form-data} body as
 * storage-js sends Blobs and FormData. Answers Supabase's {@code {Key, Id}}.
 */
@ApplicationScoped
public class ObjectUploads {

    private final SupabaseRequests requests;
    private final UploadClient uploads;

    public ObjectUploads(SupabaseRequests requests, UploadClient uploads) {
        this.requests = requests;
        this.uploads = uploads;
    }

    /** Streams this request's body to {@code {bucket}/{path}} (both checked and encoded) as {@code as}. */
    void start(RoutingContext ctx, String bucket, String path, Uploader as) {
        HttpServerRequest in = ctx.request();
        String contentType = in.getHeader("Content-Type");
        String bucketAndPath = bucket + "/" + path;
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            String boundary = StreamingForm.boundary(contentType);
            if (boundary == null) {
                ErrorResponse.send(ctx, SharedErrorCode.InvalidRequest, "a multipart/form-data body needs a boundary");
                return;
            }
            // storage-js sends Blobs and FormData as a form: cacheControl, metadata, then the file part
            StreamingForm.read(in, boundary, new StreamingForm.Listener() {
                @Override
                public void file(Map<String, String> fields, String fileType, ReadStream<Buffer> content) {
                    String cacheControl = fields.get("cacheControl");
                    stream(ctx, bucketAndPath, as, new Upload(fileType, null, cacheControl == null || cacheControl.isBlank() ? null
                            : "max-age=" + cacheControl.trim(), fields.get("metadata")), content);
                }

                @Override
                public void refused(String reason) {
                    refuseBody(ctx, reason);
                }
            });
            return;
        }
        String metadata = in.getHeader("x-metadata");
        if (metadata != null) {
            try {
                metadata = new String(Base64.getDecoder().decode(metadata.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                refuseBody(ctx, "x-metadata must be base64-encoded JSON");
                return;
            }
        }
        stream(ctx, bucketAndPath, as, new Upload(contentType, in.getHeader("Content-Length"), in.getHeader("Cache-Control"), metadata),
                in);
    }

    private void stream(RoutingContext ctx, String bucketAndPath, Uploader as, Upload upload, ReadStream<Buffer> body) {
        String metadata = upload.metadata();
        if (metadata != null && !metadata.isBlank()) {
            try {
                // user metadata is a JSON object (storage-js sends JSON.stringify of it)
                new JsonObject(metadata);
            } catch (DecodeException | ClassCastException e) {
                refuseBody(ctx, "metadata must be a JSON object");
                return;
            }
        }
        uploads.put(rid(ctx), bucketAndPath, as, upload, body)
                .onComplete(r -> requests.answer(ctx, r, reply -> json(ctx, 200, SupabaseShapes.key(reply.json()))));
    }
}
