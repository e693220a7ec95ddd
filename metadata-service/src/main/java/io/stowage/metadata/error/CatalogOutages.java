package io.stowage.metadata.error;

import io.stowage.edge.DependencyUnavailable;
import io.stowage.edge.DependencyUnavailable.Dependency;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Which failures mean PostgreSQL is unreachable, hung or refusing connections, rather than a fault of
 * the request or of this service: those are answered 503 {@code CatalogUnavailable} with
 * {@code Retry-After} (see the ErrorMapper), never 500.
 */
public final class CatalogOutages {

    /** SQLSTATEs of a server that is going away, starting, full, or cancelled our statement on a timeout. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "57014", "55P03");

    private CatalogOutages() {
    }

    /** The outage this failure is, or null when it is none. */
    public static DependencyUnavailable of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DependencyUnavailable outage) {
                return outage;
            }
            String detail = detail(t);
            if (detail != null) {
                return new DependencyUnavailable(Dependency.CATALOG, detail, failure);
            }
        }
        return null;
    }

    private static String detail(Throwable t) {
        if (t instanceof DatabaseException db && unavailableState(db.getSqlState())) {
            return "PostgreSQL answered " + db.getSqlState();
        }
        if (t instanceof SQLException sql && !(t instanceof SQLTransientConnectionException) && unavailableState(sql.getSQLState())) {
            return "PostgreSQL answered " + sql.getSQLState();
        }
        if (t instanceof SQLTransientConnectionException) {
            return "no database connection within the acquisition timeout";
        }
        if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
            return "PostgreSQL refuses connections";
        }
        if (t instanceof ClosedConnectionException || t instanceof ClosedChannelException || t instanceof SocketException) {
            return "the connection to PostgreSQL closed";
        }
        if (t instanceof ConnectionPoolTooBusyException) {
            return "every database connection is busy";
        }
        // the reactive pool's wait for a connection ends in Vert.x's stackless "Timeout"
        if (t instanceof TimeoutException || t instanceof io.smallrye.mutiny.TimeoutException
                || t.getClass().getName().startsWith("io.vertx.core.impl.NoStackTrace") && "Timeout".equals(t.getMessage())) {
            return "PostgreSQL did not answer in time";
        }
        return null;
    }

    private static boolean unavailableState(String state) {
        return state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state));
    }
}
