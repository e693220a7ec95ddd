package io.stowage.image.rest;

import io.stowage.contract.SharedErrorCode;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.stowage.image.client.StoredObject;
import io.stowage.image.client.Upstreams;
import io.stowage.image.config.ImageConfig;
import io.stowage.image.error.ImageException;
import io.stowage.image.render.Transformations;
import io.stowage.image.url.ImageOptions;
import io.stowage.image.url.ImageRequest;
import io.stowage.image.url.InvalidImageUrl;
import io.stowage.image.url.SupabaseRender;
import io.stowage.image.url.ThumborUrl;
import io.stowage.image.variants.Variants;
import io.stowage.image.variants.Variants.Resolved;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import java.util.Arrays;

/**
 * The two URL styles: Thumbor's {@code /img/...} and Supabase's {@code /render/image/...}. Both end
 * in the same steps: who may see the object, which variant, then the cache or a rendering.
 */
@Path("/")
public class ImageResource {

    private static final String IMMUTABLE = "max-age=31536000, immutable";

    private final Upstreams upstreams;
    private final Variants variants;
    private final ImageConfig config;
    private final CurrentIdentityAssociation identity;

    public ImageResource(Upstreams upstreams, Variants variants, ImageConfig config, CurrentIdentityAssociation identity) {
        this.upstreams = upstreams;
        this.variants = variants;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @Path("img/{path: .+}")
    public Uni<Response> thumbor(@Context HttpServerRequest http,
                                 @HeaderParam("Authorization") String authorization,
                                 @HeaderParam("Accept") String accept,
                                 @HeaderParam("If-None-Match") String ifNoneMatch) {
        ImageRequest request;
        try {
            request = ThumborUrl.parse(http.path().substring("/img/".length()), config.maxDimension());
        } catch (InvalidImageUrl e) {
            throw new ImageException(SharedErrorCode.InvalidRequest, e.getMessage());
        }
        ImageOptions options = request.options();
        java.util.function.Function<StoredObject, Uni<Response>> serve =
                o -> serve(variants.resolve(o, options, options.format() == null, accept), ifNoneMatch);
        if (request.unsafe()) {
            if (!config.unsafeEnabled()) {
                throw new ImageException(SharedErrorCode.Forbidden, "unsafe image URLs are disabled: sign the URL");
            }
            // unsafe URLs render only what anyone may read, whoever asks
            return upstreams.object(request.bucket(), request.name(), null, serve);
        }
        return caller(authorization)
                .chain(() -> upstreams.verifyUrlSignature(request.signature(), request.signedPath()))
                .chain(() -> upstreams.object(request.bucket(), request.name(), authorization, serve));
    }

    @GET
    @Path("render/image/{mode: public|authenticated|sign}/{path: .+}")
    public Uni<Response> supabase(@Context HttpServerRequest http,
                                  @PathParam("mode") String mode,
                                  @QueryParam("width") String width,
                                  @QueryParam("height") String height,
                                  @QueryParam("resize") String resize,
                                  @QueryParam("quality") String quality,
                                  @QueryParam("format") String format,
                                  @QueryParam("gravity") String gravity,
                                  @QueryParam("x_offset") String xOffset,
                                  @QueryParam("y_offset") String yOffset,
                                  @QueryParam("token") String token,
                                  @HeaderParam("Authorization") String authorization,
                                  @HeaderParam("Accept") String accept,
                                  @HeaderParam("If-None-Match") String ifNoneMatch) {
        String raw = http.path().substring(("/render/image/" + mode + "/").length());
        String[] target;
        try {
            target = ThumborUrl.objectPath(raw);
        } catch (InvalidImageUrl e) {
            throw new ImageException(SharedErrorCode.InvalidRequest, e.getMessage());
        }
        // checked before any lookup, and read once
        Rendition asked = rendition(new SupabaseRender.Query(width, height, resize, quality, format, gravity, xOffset, yOffset));
        return switch (mode) {
            case "public" -> upstreams.object(target[0], target[1], null, o -> render(o, asked, accept, ifNoneMatch));
            case "authenticated" -> {
                if (authorization == null) {
                    throw new ImageException(SharedErrorCode.Unauthorized, "this route needs a bearer token");
                }
                yield caller(authorization).chain(() -> upstreams.object(target[0], target[1], authorization,
                        o -> render(o, asked, accept, ifNoneMatch)));
            }
            default -> {
                if (token == null || token.isBlank()) {
                    throw new ImageException(SharedErrorCode.InvalidRequest, "the token query parameter is missing");
                }
                // the token grants this one object, and the rendition signed into it (the query beside it
                // then does not count, as with Supabase): look the object up as image-service itself
                yield upstreams.verifyImageToken(token, target[0], target[1])
                        .chain(signed -> upstreams.signedObject(target[0], target[1],
                                o -> render(o, signed == null ? asked : signedRendition(signed), accept, ifNoneMatch)));
            }
        };
    }

    /** A Supabase render of an object the caller may see. */
    private Uni<Response> render(StoredObject object, Rendition rendition, String accept, String ifNoneMatch) {
        return serve(variants.resolve(object, rendition.options(), rendition.negotiate(), accept), ifNoneMatch);
    }

    private record Rendition(ImageOptions options, boolean negotiate) {
    }

    /** The rendition a signed token carries (a render query). */
    private Rendition signedRendition(String query) {
        try {
            return rendition(SupabaseRender.Query.parse(query));
        } catch (InvalidImageUrl e) {
            throw new ImageException(SharedErrorCode.InvalidRequest, e.getMessage());
        }
    }

    /** What a Supabase render query asks for; an invalid one is a 400. */
    private Rendition rendition(SupabaseRender.Query query) {
        try {
            ImageOptions options = SupabaseRender.options(query, config.maxDimension());
            SupabaseRender.Format outputFormat = SupabaseRender.format(query.format());
            ImageOptions chosen = outputFormat.explicit() != null ? options.withFormat(outputFormat.explicit()) : options;
            return new Rendition(chosen, outputFormat.explicit() == null && !outputFormat.origin());
        } catch (InvalidImageUrl e) {
            throw new ImageException(SharedErrorCode.InvalidRequest, e.getMessage());
        }
    }

    /** A token, when sent, must be valid here too, not only further down. */
    private Uni<Void> caller(String authorization) {
        if (authorization == null) {
            return Uni.createFrom().voidItem();
        }
        return identity.getDeferredIdentity()
                .onFailure().transform(e -> new ImageException(SharedErrorCode.Unauthorized, "the bearer token is not valid"))
                .invoke(id -> {
                    if (id.isAnonymous()) {
                        throw new ImageException(SharedErrorCode.Unauthorized, "the bearer token is not valid");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Response> serve(Resolved resolved, String ifNoneMatch) {
        String cacheControl = (resolved.object().isPublic() ? "public, " : "private, ") + IMMUTABLE;
        if (matches(ifNoneMatch, resolved.etag())) {
            Response.ResponseBuilder notModified = Response.notModified()
                    .header("ETag", resolved.etag()).header("Cache-Control", cacheControl);
            if (resolved.varies()) {
                notModified.header("Vary", "Accept");
            }
            return Uni.createFrom().item(notModified.build());
        }
        return variants.get(resolved).map(served -> {
            Response.ResponseBuilder ok = Response.ok(served.variant().bytes())
                    .type(served.variant().contentType())
                    .header("ETag", resolved.etag())
                    .header("Cache-Control", cacheControl)
                    .header("X-Stowage-Variant", served.cached() ? "hit" : "miss")
                    .header("X-Transformations", Transformations.of(resolved.options()));
            if (resolved.varies()) {
                ok.header("Vary", "Accept");
            }
            return ok.build();
        });
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                .anyMatch(t -> t.equals("*") || t.equals(etag) || t.equals("W/" + etag));
    }
}
