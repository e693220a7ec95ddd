package io.stowage.metadata.rest;

import io.smallrye.mutiny.Uni;
import io.stowage.edge.DependencyUnavailable;
import io.stowage.edge.DependencyUnavailable.Dependency;
import io.stowage.metadata.config.MetadataConfig;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import java.time.Duration;

/**
 * Bounds the {@link Uni} a {@link Deadline} route returns: no item by the deadline fails it with
 * {@link DependencyUnavailable} for the catalog (503, Retry-After). The subscription is cancelled; a
 * statement already sent may still complete once the database answers again, which is why the
 * write routes callers retry are idempotent (registration by upload id) or conditional.
 */
@Deadline
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class DeadlineInterceptor {

    private final Duration deadline;

    public DeadlineInterceptor(MetadataConfig config) {
        this.deadline = config.catalog().deadline();
    }

    @AroundInvoke
    Object bound(InvocationContext invocation) throws Exception {
        Object result = invocation.proceed();
        if (result instanceof Uni<?> uni && !deadline.isZero()) {
            return uni.ifNoItem().after(deadline).failWith(() -> new DependencyUnavailable(Dependency.CATALOG,
                    "no answer from PostgreSQL within " + deadline.toMillis() + " ms", null));
        }
        return result;
    }
}
