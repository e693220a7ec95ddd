package io.stowage.gateway.signed;

import io.stowage.gateway.config.GatewayConfig;
import io.stowage.names.RequestPaths;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The URLs the native API hands out: a signed link ({@code /v1/signed/{bucket}/{path}?token=}, a GET of
 * a download token or a PUT of an upload token, the token being the whole authorization) and the public
 * URL of an object anyone may read ({@code /v1/public/{bucket}/{path}}). They start with
 * {@code stowage.gateway.public-url} when it is set, else they are relative to the gateway's root.
 * Names are percent-encoded segment by segment, as every Stowage service encodes them.
 */
@ApplicationScoped
public class SignedLinks {

    public static final String SIGNED_PREFIX = "/v1/signed/";
    public static final String PUBLIC_PREFIX = "/v1/public/";

    private final String base;

    public SignedLinks(GatewayConfig config) {
        String url = config.publicUrl().map(String::trim).orElse("");
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * A signed link of {@code bucket}/{@code name} (as stored, decoded) with {@code token}; {@code download}
     * (null: none) asks the download for an attachment, under the object's own name when empty.
     */
    public String signed(String bucket, String name, String token, String download) {
        String url = base + SIGNED_PREFIX + path(bucket, name) + "?token=" + token;
        if (download == null) {
            return url;
        }
        return url + "&download" + (download.isEmpty() ? "" : "=" + URLEncoder.encode(download, StandardCharsets.UTF_8)
                .replace("+", "%20"));
    }

    /** The URL anyone may read {@code bucket}/{@code name} at, without a token. */
    public String publicUrl(String bucket, String name) {
        return base + PUBLIC_PREFIX + path(bucket, name);
    }

    private static String path(String bucket, String name) {
        return RequestPaths.encodeSegment(bucket) + "/" + RequestPaths.encodePath(name);
    }
}
