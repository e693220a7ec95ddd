package io.stowage.metadata.rest;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The routes of a resource answer within the catalog's deadline ({@code stowage.catalog.deadline}):
 * a request the database has not answered by then is 503 {@code CatalogUnavailable}, so that a hung
 * PostgreSQL costs callers the deadline, not the hang.
 */
@InterceptorBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Deadline {
}
