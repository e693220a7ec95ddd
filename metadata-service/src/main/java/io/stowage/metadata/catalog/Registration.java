package io.stowage.metadata.catalog;

/** The object an upload registered, and whether this call created it (false: registered before). */
public record Registration(ObjectEntity object, boolean created) {
}
