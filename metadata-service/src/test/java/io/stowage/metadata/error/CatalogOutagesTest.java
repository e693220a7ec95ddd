package io.stowage.metadata.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stowage.edge.DependencyUnavailable;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class CatalogOutagesTest {

    @Test
    void aDatabaseThatIsAwayIsAnOutageOfTheCatalog() {
        for (Throwable away : new Throwable[] {
                new CompletionException(new ConnectException("Connection refused")),
                new RuntimeException("wrapped", io.vertx.sqlclient.ClosedConnectionException.INSTANCE),
                new PgException("terminating connection due to administrator command", "FATAL", "57P01", null),
                new PgException("canceling statement due to statement timeout", "ERROR", "57014", null),
                new PgException("too many clients", "FATAL", "53300", null),
                new SQLException("connection failure", "08006"),
                new SQLTransientConnectionException("acquisition timeout"),
                new TimeoutException(),
                new io.vertx.core.impl.NoStackTraceThrowable("Timeout"),
                new io.smallrye.mutiny.TimeoutException()}) {
            DependencyUnavailable outage = CatalogOutages.of(away);
            assertNotNull(outage, away.toString());
            assertEquals("CatalogUnavailable", outage.code());
            assertEquals(503, outage.status());
        }
    }

    @Test
    void aRefusedStatementOrABugIsNot() {
        assertNull(CatalogOutages.of(new PgException("duplicate key", "ERROR", "23505", null)));
        assertNull(CatalogOutages.of(new SQLException("syntax", "42601")));
        assertNull(CatalogOutages.of(new IllegalStateException("a bug")));
        assertNull(CatalogOutages.of(new NullPointerException()));
        assertNull(CatalogOutages.of(new io.vertx.core.impl.NoStackTraceThrowable("something else")));
    }
}
