package io.stowage.metadata.api;

import io.stowage.names.NameRules;

import java.util.List;

/** {@code POST /v1/files/delete}: either names (deleted now) or a prefix (a background job). */
public record DeleteFilesRequest(String bucket, List<String> names, String prefix) {

    public static final int MAX_NAMES = 1000;

    /** Checks the bucket and that exactly one of names and prefix is given; 400 otherwise. */
    public DeleteFilesRequest validated() {
        NameRules.requireBucket(bucket);
        if ((names == null) == (prefix == null)) {
            throw Details.invalid("give either names or prefix");
        }
        return this;
    }

    public boolean byPrefix() {
        return prefix != null;
    }

    /** The prefix, checked: not empty (emptying a bucket is its own route) and a valid name prefix. */
    public String checkedPrefix() {
        if (prefix.isEmpty()) {
            throw Details.invalid("prefix must not be empty; empty the bucket instead");
        }
        NameRules.requirePrefix(prefix);
        return prefix;
    }

    /** The names, checked (1 to {@value #MAX_NAMES} valid object names), each once in the order given. */
    public List<String> checkedNames() {
        if (names.isEmpty() || names.size() > MAX_NAMES) {
            throw Details.invalid("names must hold 1-" + MAX_NAMES + " names");
        }
        names.forEach(NameRules::requireObject);
        return names.stream().distinct().toList();
    }
}
