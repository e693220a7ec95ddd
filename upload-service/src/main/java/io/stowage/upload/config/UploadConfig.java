package io.stowage.upload.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long an upload URL lives and how much of a blob is read to recognise its type. */
@ConfigMapping(prefix = "stowage.upload")
public interface UploadConfig {

    /** Lifetime of a presigned upload URL, and so of the pending upload, in seconds. */
    @WithDefault("900")
    long urlExpiresIn();

    /** Bytes read from the start of a blob to sniff its content type. */
    @WithDefault("64")
    int sniffBytes();
}
