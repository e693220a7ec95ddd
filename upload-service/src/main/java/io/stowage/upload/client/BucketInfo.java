package io.stowage.upload.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/** The parts of metadata-service's Bucket record that govern uploads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BucketInfo(String name, Long fileSizeLimit, List<String> allowedMimeTypes) {
}
